import type { Detector } from '../src/core/detector.ts';

/**
 * API keys: `re_` + 8-character id + `_` + 24-character secret. Full-access
 * keys manage domains; sending keys send mail as any address on verified
 * domains. No liveness check: sending-only keys are refused by every read
 * endpoint, so a refusal would not tell live from dead.
 */
export const resendApiKey: Detector = {
  id: 'resend-api-key',
  name: 'Resend API key',
  issuer: 'resend',
  keywords: ['re_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})(?![A-Za-z0-9_])/,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret.slice(3)) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'RESEND_API_KEY=re_Htmt2SRM_qYKqKQdcDn0BubFIgto6NULk',
      "const resend = new Resend('re_UwWbbs2m_b3A4kkHBksQfmjTT0Gj7OZgq');",
    ],
    ignore: [
      'RESEND_API_KEY=re_xxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxx',
      // identifiers in code
      'def compile_re_patterns_for_user_agent_parsing(): pass',
      'RESEND_API_KEY=re_123456789',
    ],
  },
};

export const resendDetectors: readonly Detector[] = [resendApiKey];
