import type { Detector } from '../src/core/detector.ts';

/** API tokens: `mlsn.` + 64 hex. Send mail and, with full access, manage domains and templates. */
export const mailersendApiToken: Detector = {
  id: 'mailersend-api-token',
  name: 'MailerSend API token',
  issuer: 'mailersend',
  keywords: ['mlsn.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>mlsn\.[0-9a-f]{64})(?![A-Za-z0-9_-])/,
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'MAILERSEND_API_KEY=mlsn.a375075b65c17adbc5d8336620d8275f7f581327d37766132b7b082b8928e74c',
      "const mailerSend = new MailerSend({ apiKey: 'mlsn.f1345e75b9f01c30a5a1bc10503a2f41389a77f427a2378c6171c08f5c013739' });",
    ],
    ignore: [
      'MAILERSEND_API_KEY=mlsn.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'MAILERSEND_API_KEY=mlsn.0000000000000000000000000000000000000000000000000000000000000000',
      'MAILERSEND_API_KEY=mlsn.a375075b65c17adbc5d83366',
    ],
  },
};

export const mailersendDetectors: readonly Detector[] = [mailersendApiToken];
