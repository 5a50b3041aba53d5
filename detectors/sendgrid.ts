import type { Detector } from '../src/core/detector.ts';
import { charClasses } from '../src/detection/entropy.ts';

/** Both random parts contain at least two of lower/upper/digit (rules out ids and words). */
function hasRandomParts(secret: string): boolean {
  return secret
    .split('.')
    .slice(1)
    .every((part) => {
      const c = charClasses(part);
      return (c.lower > 0 ? 1 : 0) + (c.upper > 0 ? 1 : 0) + (c.digit > 0 ? 1 : 0) >= 2;
    });
}

/** API keys: `SG.` + 22-char key id + `.` + 43-char secret (69 chars). Send mail as the account. */
export const sendgridApiKey: Detector = {
  id: 'sendgrid-api-key',
  name: 'SendGrid API key',
  issuer: 'sendgrid',
  keywords: ['SG.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_.-])/,
  validate: hasRandomParts,
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'SENDGRID_API_KEY=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',
      'password reset mails fail, smtp password is 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 (user apikey)',
    ],
    ignore: [
      'SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'SENDGRID_API_KEY=SG.****',
      // second part truncated
      'SG.21UiVFJFe76VrE5bX-lUJb.YgxXTXcfxZ9HUD9yG1okI8vtdYJ',
      'see msg.attachments.filename and SG.TemplateId for the mapping',
    ],
  },
};

export const sendgridDetectors: readonly Detector[] = [sendgridApiKey];
