import type { Detector } from '../src/core/detector.ts';

/**
 * "Catch hook" trigger URLs: `hooks.zapier.com/hooks/catch/<account>/<hook>/`.
 * Any request to the URL runs the Zap with attacker-chosen data. No liveness
 * check: a probe would run the Zap. The secret is the URL without its scheme.
 */
export const zapierWebhookUrl: Detector = {
  id: 'zapier-webhook-url',
  name: 'Zapier catch hook URL',
  issuer: 'zapier',
  keywords: ['hooks.zapier.com/hooks/'],
  pattern:
    /(?<![A-Za-z0-9.-])(?<secret>hooks\.zapier\.com\/hooks\/(?:catch|standard)\/\d{4,12}\/[a-z0-9]{5,12}\/?)(?![A-Za-z0-9_-])/,
  // Hook ids mix letters and digits; all-letter or all-digit ids are documentation placeholders.
  validate: (secret) => {
    const hook = secret.split('/')[4] ?? '';
    return /\d/.test(hook) && /[a-z]/.test(hook);
  },
  severity: 'medium',
  examples: {
    match: [
      'form submissions go to https://hooks.zapier.com/hooks/catch/60990555/b0ctksg/ (zap "New lead -> CRM")',
      'ZAPIER_HOOK_URL="https://hooks.zapier.com/hooks/catch/4915193/a5nlmp/"',
    ],
    ignore: [
      'https://hooks.zapier.com/hooks/catch/123456/abcdef/',
      'https://hooks.zapier.com/hooks/catch/<account>/<hook>/',
      'https://hooks.zapier.com/hooks/catch/xxxxxxx/xxxxxx/',
    ],
  },
};

export const zapierDetectors: readonly Detector[] = [zapierWebhookUrl];
