import { redactSpans } from '../detection/redact.ts';
import type { ApiContext } from './api-context.ts';

const MAX_CHARS = 1000;

/**
 * Text that came from outside leakwatch's control (a connector's last error,
 * a failed job's message, a hook receiver's reply) may quote a credential.
 * Before the API shows it, it is cut to a readable length and scanned with the
 * detectors, every match replaced by its redacted form — the same belt and
 * braces the logger applies.
 */
export function scrubText(ctx: Pick<ApiContext, 'scanner'>, text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const cut = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
  if (!ctx.scanner) return cut;
  const matches = ctx.scanner.scan(cut);
  if (matches.length === 0) return cut;
  const byRaw = new Map<string, string>();
  for (const m of matches) {
    byRaw.set(m.secret.reveal(), m.secret.redacted);
    for (const p of m.parts) byRaw.set(p.secret.reveal(), p.secret.redacted);
  }
  return redactSpans(
    cut,
    matches.flatMap((m) => [m, ...m.parts]),
    (original) => byRaw.get(original) ?? '[redacted]',
  );
}
