import type { VerificationResult, Verifier } from '../core/verification.ts';

/**
 * Runs the same read-only check against each regional API host of a vendor in
 * turn (Datadog sites, New Relic US/EU, Mailgun US/EU…): a key is only known on
 * its own region, so one region's 401/403 proves nothing. Live as soon as one
 * region says live; dead only when every region says dead; otherwise unknown.
 * Fixtures are the first region's (every region answers in the same shape).
 *
 * @example inRegions(['api.datadoghq.com', 'api.datadoghq.eu'].map((host) => httpVerifier({ hosts: [host], … })))
 */
export function inRegions(verifiers: readonly Verifier[]): Verifier {
  const first = verifiers[0];
  if (first === undefined) throw new Error('inRegions needs at least one verifier');
  return {
    hosts: [...new Set(verifiers.flatMap((v) => v.hosts))],
    fixtures: first.fixtures,
    async check(secret, ctx): Promise<VerificationResult> {
      let unknown: VerificationResult | undefined;
      for (const verifier of verifiers) {
        const result = await verifier.check(secret, ctx);
        if (result.liveness === 'live') return result;
        if (result.liveness !== 'dead') unknown ??= result;
      }
      return unknown ?? { liveness: 'dead' };
    },
  };
}
