import type { Detector } from '../src/core/detector.ts';

/**
 * HTTP-triggered flows (Teams "Workflows" webhooks and other Power Automate /
 * Logic Apps manual triggers): the `sig` query parameter is a SAS signature,
 * so the URL alone starts the flow. The secret is the URL without its scheme,
 * up to and including `sig`. No liveness check: any accepted POST runs the
 * flow (tokens.md).
 */
export const powerAutomateWorkflowUrl: Detector = {
  id: 'power-automate-workflow-url',
  name: 'Power Automate / Teams Workflows trigger URL',
  issuer: 'microsoft-power-automate',
  keywords: ['environment.api.powerplatform.com', '.logic.azure.com'],
  pattern: new RegExp(
    '(?<![A-Za-z0-9.-])(?<secret>(?:' +
      // Power Automate (Teams Workflows since 2024)
      '[a-z0-9-]{1,64}\\.(?:[0-9a-f]{1,3}\\.)?environment\\.api\\.powerplatform\\.com(?::443)?\\/powerautomate\\/automations\\/direct\\/workflows\\/[0-9a-f]{32}\\/triggers\\/manual' +
      '|' +
      // Logic Apps / older Teams Workflows
      'prod-\\d{1,3}\\.[a-z0-9]{2,30}\\.logic\\.azure\\.com(?::443)?\\/workflows\\/[0-9a-f]{32}\\/triggers\\/[\\w%-]{1,64}' +
      ')\\/paths\\/invoke\\?(?:[\\w%.=;-]{1,80}&){0,6}(?:amp;)?sig=[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])',
    'i',
  ),
  // The URL runs to ~300 characters, most of it after the host keyword.
  window: { before: 100, after: 400 },
  severity: 'medium',
  examples: {
    match: [
      'Teams workflow for #deployments: https://defaultcb01a11dafe3f17cfc2a3f93f37038.7c.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/bc41dd2cdf649f27a5c3fba4ce2064ec/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=p0TQY0pccIdKcV-qlOHDrRdQMBA8cRsWxtl50KOvtoD',
      'curl -X POST "https://prod-69.westeurope.logic.azure.com:443/workflows/b1c7d1a2fd77206df7446f6ff2af7480/triggers/manual/paths/invoke?api-version=2016-06-01&amp;sp=%2Ftriggers%2Fmanual%2Frun&amp;sv=1.0&amp;sig=CCrxyQBw1watPfbigECqG9RECH8IfW7aRO93gAY9gJO" -d @card.json',
    ],
    ignore: [
      // no signature: useless without an Entra token
      'https://prod-69.westeurope.logic.azure.com:443/workflows/b1c7d1a2fd77206df7446f6ff2af7480/triggers/manual/paths/invoke?api-version=2016-06-01',
      'POST https://<env>.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/<id>/triggers/manual/paths/invoke?api-version=1&sig=<sig>',
      'https://defaultcb01a11dafe3f17cfc2a3f93f37038.7c.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/bc41dd2cdf649f27a5c3fba4ce2064ec/triggers/manual/paths/invoke?api-version=1&sig=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ],
  },
};

export const microsoftPowerAutomateDetectors: readonly Detector[] = [powerAutomateWorkflowUrl];
