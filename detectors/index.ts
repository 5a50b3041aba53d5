import type { Detector } from '../src/core/detector.ts';
import { anthropicDetectors } from './anthropic.ts';
import { atlassianDetectors } from './atlassian.ts';
import { awsDetectors } from './aws.ts';
import { azureDevopsDetectors } from './azure-devops.ts';
import { buildkiteDetectors } from './buildkite.ts';
import { circleciDetectors } from './circleci.ts';
import { datadogDetectors } from './datadog.ts';
import { digitaloceanDetectors } from './digitalocean.ts';
import { dockerDetectors } from './docker.ts';
import { dopplerDetectors } from './doppler.ts';
import { genericDetectors } from './generic.ts';
import { githubDetectors } from './github.ts';
import { gitlabDetectors } from './gitlab.ts';
import { googleDetectors } from './google.ts';
import { hashicorpVaultDetectors } from './hashicorp-vault.ts';
import { herokuDetectors } from './heroku.ts';
import { jfrogDetectors } from './jfrog.ts';
import { jwtDetectors } from './jwt.ts';
import { newrelicDetectors } from './newrelic.ts';
import { npmDetectors } from './npm.ts';
import { openaiDetectors } from './openai.ts';
import { postmanDetectors } from './postman.ts';
import { privateKeyDetectors } from './private-key.ts';
import { pypiDetectors } from './pypi.ts';
import { sendgridDetectors } from './sendgrid.ts';
import { slackDetectors } from './slack.ts';
import { sonarDetectors } from './sonar.ts';
import { stripeDetectors } from './stripe.ts';
import { terraformDetectors } from './terraform.ts';
import { uriCredentialsDetectors } from './uri-credentials.ts';

/** Every built-in detector, in one explicit list (no registration by import side effects). */
export const detectors: readonly Detector[] = [
  ...anthropicDetectors,
  ...atlassianDetectors,
  ...awsDetectors,
  ...azureDevopsDetectors,
  ...buildkiteDetectors,
  ...circleciDetectors,
  ...datadogDetectors,
  ...digitaloceanDetectors,
  ...dockerDetectors,
  ...dopplerDetectors,
  ...genericDetectors,
  ...githubDetectors,
  ...gitlabDetectors,
  ...googleDetectors,
  ...hashicorpVaultDetectors,
  ...herokuDetectors,
  ...jfrogDetectors,
  ...jwtDetectors,
  ...newrelicDetectors,
  ...npmDetectors,
  ...openaiDetectors,
  ...postmanDetectors,
  ...privateKeyDetectors,
  ...pypiDetectors,
  ...sendgridDetectors,
  ...slackDetectors,
  ...sonarDetectors,
  ...stripeDetectors,
  ...terraformDetectors,
  ...uriCredentialsDetectors,
];
