import type { Detector } from '../src/core/detector.ts';
import { onePasswordDetectors } from './1password.ts';
import { adyenDetectors } from './adyen.ts';
import { ageDetectors } from './age.ts';
import { airtableDetectors } from './airtable.ts';
import { aivenDetectors } from './aiven.ts';
import { akamaiDetectors } from './akamai.ts';
import { algoliaDetectors } from './algolia.ts';
import { alibabaCloudDetectors } from './alibaba-cloud.ts';
import { amplitudeDetectors } from './amplitude.ts';
import { anthropicDetectors } from './anthropic.ts';
import { appveyorDetectors } from './appveyor.ts';
import { asanaDetectors } from './asana.ts';
import { assemblyaiDetectors } from './assemblyai.ts';
import { atlassianDetectors } from './atlassian.ts';
import { awsDetectors } from './aws.ts';
import { azureDevopsDetectors } from './azure-devops.ts';
import { azureDetectors } from './azure.ts';
import { bitriseDetectors } from './bitrise.ts';
import { bitwardenDetectors } from './bitwarden.ts';
import { boxDetectors } from './box.ts';
import { braintreeDetectors } from './braintree.ts';
import { brevoDetectors } from './brevo.ts';
import { bugsnagDetectors } from './bugsnag.ts';
import { buildkiteDetectors } from './buildkite.ts';
import { cerebrasDetectors } from './cerebras.ts';
import { checkoutComDetectors } from './checkout-com.ts';
import { circleciDetectors } from './circleci.ts';
import { clickhouseDetectors } from './clickhouse.ts';
import { clickupDetectors } from './clickup.ts';
import { clojarsDetectors } from './clojars.ts';
import { cloudflareDetectors } from './cloudflare.ts';
import { cloudsmithDetectors } from './cloudsmith.ts';
import { cockroachlabsDetectors } from './cockroachlabs.ts';
import { codecovDetectors } from './codecov.ts';
import { cohereDetectors } from './cohere.ts';
import { coinbaseDetectors } from './coinbase.ts';
import { confluentDetectors } from './confluent.ts';
import { contentfulDetectors } from './contentful.ts';
import { coverallsDetectors } from './coveralls.ts';
import { cratesIoDetectors } from './crates-io.ts';
import { databricksDetectors } from './databricks.ts';
import { datadogDetectors } from './datadog.ts';
import { dbtCloudDetectors } from './dbt-cloud.ts';
import { deepgramDetectors } from './deepgram.ts';
import { deepseekDetectors } from './deepseek.ts';
import { denoDetectors } from './deno.ts';
import { digitaloceanDetectors } from './digitalocean.ts';
import { discordDetectors } from './discord.ts';
import { dockerDetectors } from './docker.ts';
import { dopplerDetectors } from './doppler.ts';
import { droneDetectors } from './drone.ts';
import { dropboxDetectors } from './dropbox.ts';
import { dynatraceDetectors } from './dynatrace.ts';
import { easypostDetectors } from './easypost.ts';
import { elevenlabsDetectors } from './elevenlabs.ts';
import { expoDetectors } from './expo.ts';
import { fastlyDetectors } from './fastly.ts';
import { figmaDetectors } from './figma.ts';
import { firebaseDetectors } from './firebase.ts';
import { firecrawlDetectors } from './firecrawl.ts';
import { fireworksDetectors } from './fireworks.ts';
import { flutterwaveDetectors } from './flutterwave.ts';
import { flyIoDetectors } from './fly-io.ts';
import { freshdeskDetectors } from './freshdesk.ts';
import { genericDetectors } from './generic.ts';
import { giteaDetectors } from './gitea.ts';
import { githubDetectors } from './github.ts';
import { gitlabDetectors } from './gitlab.ts';
import { gocardlessDetectors } from './gocardless.ts';
import { googleDetectors } from './google.ts';
import { grafanaDetectors } from './grafana.ts';
import { groqDetectors } from './groq.ts';
import { harnessDetectors } from './harness.ts';
import { hashicorpVaultDetectors } from './hashicorp-vault.ts';
import { herokuDetectors } from './heroku.ts';
import { hetznerDetectors } from './hetzner.ts';
import { honeycombDetectors } from './honeycomb.ts';
import { hubspotDetectors } from './hubspot.ts';
import { huggingfaceDetectors } from './huggingface.ts';
import { iftttDetectors } from './ifttt.ts';
import { infisicalDetectors } from './infisical.ts';
import { infracostDetectors } from './infracost.ts';
import { intercomDetectors } from './intercom.ts';
import { jenkinsDetectors } from './jenkins.ts';
import { jfrogDetectors } from './jfrog.ts';
import { jwtDetectors } from './jwt.ts';
import { kubernetesDetectors } from './kubernetes.ts';
import { langchainDetectors } from './langchain.ts';
import { langfuseDetectors } from './langfuse.ts';
import { launchdarklyDetectors } from './launchdarkly.ts';
import { lemonSqueezyDetectors } from './lemon-squeezy.ts';
import { linearDetectors } from './linear.ts';
import { linodeDetectors } from './linode.ts';
import { llamaindexDetectors } from './llamaindex.ts';
import { logzioDetectors } from './logzio.ts';
import { mailchimpDetectors } from './mailchimp.ts';
import { mailersendDetectors } from './mailersend.ts';
import { mailgunDetectors } from './mailgun.ts';
import { mailjetDetectors } from './mailjet.ts';
import { mapboxDetectors } from './mapbox.ts';
import { mattermostDetectors } from './mattermost.ts';
import { messagebirdDetectors } from './messagebird.ts';
import { metaDetectors } from './meta.ts';
import { microsoftPowerAutomateDetectors } from './microsoft-power-automate.ts';
import { microsoftTeamsDetectors } from './microsoft-teams.ts';
import { miroDetectors } from './miro.ts';
import { mistralDetectors } from './mistral.ts';
import { mixpanelDetectors } from './mixpanel.ts';
import { mollieDetectors } from './mollie.ts';
import { mondayDetectors } from './monday.ts';
import { mongodbDetectors } from './mongodb.ts';
import { neonDetectors } from './neon.ts';
import { netlifyDetectors } from './netlify.ts';
import { newrelicDetectors } from './newrelic.ts';
import { notionDetectors } from './notion.ts';
import { npmDetectors } from './npm.ts';
import { nugetDetectors } from './nuget.ts';
import { nvidiaDetectors } from './nvidia.ts';
import { octopusDeployDetectors } from './octopus-deploy.ts';
import { oktaDetectors } from './okta.ts';
import { openaiDetectors } from './openai.ts';
import { openrouterDetectors } from './openrouter.ts';
import { openshiftDetectors } from './openshift.ts';
import { opsgenieDetectors } from './opsgenie.ts';
import { paddleDetectors } from './paddle.ts';
import { pagerdutyDetectors } from './pagerduty.ts';
import { paypalDetectors } from './paypal.ts';
import { paystackDetectors } from './paystack.ts';
import { perplexityDetectors } from './perplexity.ts';
import { pineconeDetectors } from './pinecone.ts';
import { plaidDetectors } from './plaid.ts';
import { planetscaleDetectors } from './planetscale.ts';
import { plivoDetectors } from './plivo.ts';
import { posthogDetectors } from './posthog.ts';
import { postmanDetectors } from './postman.ts';
import { postmarkDetectors } from './postmark.ts';
import { prefectDetectors } from './prefect.ts';
import { privateKeyDetectors } from './private-key.ts';
import { proxmoxDetectors } from './proxmox.ts';
import { pulumiDetectors } from './pulumi.ts';
import { pusherDetectors } from './pusher.ts';
import { pypiDetectors } from './pypi.ts';
import { rancherDetectors } from './rancher.ts';
import { razorpayDetectors } from './razorpay.ts';
import { readmeDetectors } from './readme.ts';
import { renderDetectors } from './render.ts';
import { replicateDetectors } from './replicate.ts';
import { resendDetectors } from './resend.ts';
import { rollbarDetectors } from './rollbar.ts';
import { rubygemsDetectors } from './rubygems.ts';
import { scalewayDetectors } from './scaleway.ts';
import { segmentDetectors } from './segment.ts';
import { semaphoreDetectors } from './semaphore.ts';
import { sendgridDetectors } from './sendgrid.ts';
import { sentryDetectors } from './sentry.ts';
import { shopifyDetectors } from './shopify.ts';
import { slackDetectors } from './slack.ts';
import { snykDetectors } from './snyk.ts';
import { sonarDetectors } from './sonar.ts';
import { sourcegraphDetectors } from './sourcegraph.ts';
import { sparkpostDetectors } from './sparkpost.ts';
import { splunkDetectors } from './splunk.ts';
import { squareDetectors } from './square.ts';
import { stabilityAiDetectors } from './stability-ai.ts';
import { stripeDetectors } from './stripe.ts';
import { sumologicDetectors } from './sumologic.ts';
import { supabaseDetectors } from './supabase.ts';
import { tailscaleDetectors } from './tailscale.ts';
import { tavilyDetectors } from './tavily.ts';
import { telegramDetectors } from './telegram.ts';
import { tencentCloudDetectors } from './tencent-cloud.ts';
import { terraformDetectors } from './terraform.ts';
import { togetherDetectors } from './together.ts';
import { travisCiDetectors } from './travis-ci.ts';
import { trelloDetectors } from './trello.ts';
import { twilioDetectors } from './twilio.ts';
import { twitchDetectors } from './twitch.ts';
import { twitterDetectors } from './twitter.ts';
import { typeformDetectors } from './typeform.ts';
import { upstashDetectors } from './upstash.ts';
import { uriCredentialsDetectors } from './uri-credentials.ts';
import { vercelDetectors } from './vercel.ts';
import { vonageDetectors } from './vonage.ts';
import { vultrDetectors } from './vultr.ts';
import { wandbDetectors } from './wandb.ts';
import { webexDetectors } from './webex.ts';
import { xaiDetectors } from './xai.ts';
import { yandexDetectors } from './yandex.ts';
import { zapierDetectors } from './zapier.ts';
import { zendeskDetectors } from './zendesk.ts';
import { zoomDetectors } from './zoom.ts';

/** Every built-in detector, in one explicit list (no registration by import side effects). */
export const detectors: readonly Detector[] = [
  ...onePasswordDetectors,
  ...adyenDetectors,
  ...ageDetectors,
  ...airtableDetectors,
  ...aivenDetectors,
  ...akamaiDetectors,
  ...algoliaDetectors,
  ...alibabaCloudDetectors,
  ...amplitudeDetectors,
  ...anthropicDetectors,
  ...appveyorDetectors,
  ...asanaDetectors,
  ...assemblyaiDetectors,
  ...atlassianDetectors,
  ...awsDetectors,
  ...azureDevopsDetectors,
  ...azureDetectors,
  ...bitriseDetectors,
  ...bitwardenDetectors,
  ...boxDetectors,
  ...braintreeDetectors,
  ...brevoDetectors,
  ...bugsnagDetectors,
  ...buildkiteDetectors,
  ...cerebrasDetectors,
  ...checkoutComDetectors,
  ...circleciDetectors,
  ...clickhouseDetectors,
  ...clickupDetectors,
  ...clojarsDetectors,
  ...cloudflareDetectors,
  ...cloudsmithDetectors,
  ...cockroachlabsDetectors,
  ...codecovDetectors,
  ...cohereDetectors,
  ...coinbaseDetectors,
  ...confluentDetectors,
  ...contentfulDetectors,
  ...coverallsDetectors,
  ...cratesIoDetectors,
  ...databricksDetectors,
  ...datadogDetectors,
  ...dbtCloudDetectors,
  ...deepgramDetectors,
  ...deepseekDetectors,
  ...denoDetectors,
  ...digitaloceanDetectors,
  ...discordDetectors,
  ...dockerDetectors,
  ...dopplerDetectors,
  ...droneDetectors,
  ...dropboxDetectors,
  ...dynatraceDetectors,
  ...easypostDetectors,
  ...elevenlabsDetectors,
  ...expoDetectors,
  ...fastlyDetectors,
  ...figmaDetectors,
  ...firebaseDetectors,
  ...firecrawlDetectors,
  ...fireworksDetectors,
  ...flutterwaveDetectors,
  ...flyIoDetectors,
  ...freshdeskDetectors,
  ...genericDetectors,
  ...giteaDetectors,
  ...githubDetectors,
  ...gitlabDetectors,
  ...gocardlessDetectors,
  ...googleDetectors,
  ...grafanaDetectors,
  ...groqDetectors,
  ...harnessDetectors,
  ...hashicorpVaultDetectors,
  ...herokuDetectors,
  ...hetznerDetectors,
  ...honeycombDetectors,
  ...hubspotDetectors,
  ...huggingfaceDetectors,
  ...iftttDetectors,
  ...infisicalDetectors,
  ...infracostDetectors,
  ...intercomDetectors,
  ...jenkinsDetectors,
  ...jfrogDetectors,
  ...jwtDetectors,
  ...kubernetesDetectors,
  ...langchainDetectors,
  ...langfuseDetectors,
  ...launchdarklyDetectors,
  ...lemonSqueezyDetectors,
  ...linearDetectors,
  ...linodeDetectors,
  ...llamaindexDetectors,
  ...logzioDetectors,
  ...mailchimpDetectors,
  ...mailersendDetectors,
  ...mailgunDetectors,
  ...mailjetDetectors,
  ...mapboxDetectors,
  ...mattermostDetectors,
  ...messagebirdDetectors,
  ...metaDetectors,
  ...microsoftPowerAutomateDetectors,
  ...microsoftTeamsDetectors,
  ...miroDetectors,
  ...mistralDetectors,
  ...mixpanelDetectors,
  ...mollieDetectors,
  ...mondayDetectors,
  ...mongodbDetectors,
  ...neonDetectors,
  ...netlifyDetectors,
  ...newrelicDetectors,
  ...notionDetectors,
  ...npmDetectors,
  ...nugetDetectors,
  ...nvidiaDetectors,
  ...octopusDeployDetectors,
  ...oktaDetectors,
  ...openaiDetectors,
  ...openrouterDetectors,
  ...openshiftDetectors,
  ...opsgenieDetectors,
  ...paddleDetectors,
  ...pagerdutyDetectors,
  ...paypalDetectors,
  ...paystackDetectors,
  ...perplexityDetectors,
  ...pineconeDetectors,
  ...plaidDetectors,
  ...planetscaleDetectors,
  ...plivoDetectors,
  ...posthogDetectors,
  ...postmanDetectors,
  ...postmarkDetectors,
  ...prefectDetectors,
  ...privateKeyDetectors,
  ...proxmoxDetectors,
  ...pulumiDetectors,
  ...pusherDetectors,
  ...pypiDetectors,
  ...rancherDetectors,
  ...razorpayDetectors,
  ...readmeDetectors,
  ...renderDetectors,
  ...replicateDetectors,
  ...resendDetectors,
  ...rollbarDetectors,
  ...rubygemsDetectors,
  ...scalewayDetectors,
  ...segmentDetectors,
  ...semaphoreDetectors,
  ...sendgridDetectors,
  ...sentryDetectors,
  ...shopifyDetectors,
  ...slackDetectors,
  ...snykDetectors,
  ...sonarDetectors,
  ...sourcegraphDetectors,
  ...sparkpostDetectors,
  ...splunkDetectors,
  ...squareDetectors,
  ...stabilityAiDetectors,
  ...stripeDetectors,
  ...sumologicDetectors,
  ...supabaseDetectors,
  ...tailscaleDetectors,
  ...tavilyDetectors,
  ...telegramDetectors,
  ...tencentCloudDetectors,
  ...terraformDetectors,
  ...togetherDetectors,
  ...travisCiDetectors,
  ...trelloDetectors,
  ...twilioDetectors,
  ...twitchDetectors,
  ...twitterDetectors,
  ...typeformDetectors,
  ...upstashDetectors,
  ...uriCredentialsDetectors,
  ...vercelDetectors,
  ...vonageDetectors,
  ...vultrDetectors,
  ...wandbDetectors,
  ...webexDetectors,
  ...xaiDetectors,
  ...yandexDetectors,
  ...zapierDetectors,
  ...zendeskDetectors,
  ...zoomDetectors,
];
