import type { Match } from '../core/match.ts';
import { Secret } from '../core/secret.ts';
import type { Finding } from '../db/schema.ts';
import { redactSecret } from '../detection/redact.ts';
import type { SealedBox } from '../findings/sealed-box.ts';

/**
 * Rebuilds the in-memory match a verifier or revoker needs from a stored
 * finding and the sealed secret carried by the job. Spans are irrelevant here.
 */
export function unsealMatch(
  finding: Finding,
  sealedSecret: string,
  sealedParts: Record<string, string>,
  transit: SealedBox,
): Match {
  return {
    detectorId: finding.detector_id,
    issuer: finding.issuer,
    severity: finding.severity as Match['severity'],
    start: 0,
    end: 0,
    secret: new Secret(transit.open(sealedSecret), finding.redacted),
    parts: Object.entries(sealedParts).map(([name, sealed]) => {
      const value = transit.open(sealed);
      return { name, start: 0, end: 0, secret: new Secret(value, redactSecret(value)) };
    }),
    confidence: finding.confidence,
    fingerprint: finding.fingerprint,
    redacted: finding.redacted,
  };
}
