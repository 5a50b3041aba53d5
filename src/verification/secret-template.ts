import { Secret } from '../core/secret.ts';
import type { Sensitive } from '../core/verification.ts';

const PLACEHOLDER = '{{secret}}';

/**
 * Fills `{{secret}}` in an admin-written template (custom rules' declarative
 * verify) and returns a Secret when the value ends up in it, so it is revealed
 * only by the HTTP wrapper and printed redacted everywhere else.
 */
export function fillSecretTemplate(
  template: string,
  secret: Secret,
  encode: (raw: string) => string = (s) => s,
): Sensitive {
  if (!template.includes(PLACEHOLDER)) return template;
  return new Secret(
    template.split(PLACEHOLDER).join(encode(secret.reveal())),
    template.split(PLACEHOLDER).join(secret.redacted),
  );
}
