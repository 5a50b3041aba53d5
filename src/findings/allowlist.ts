import type { DocumentRef } from '../core/document.ts';
import type { AllowlistEntry } from '../db/schema.ts';

export const ALLOWLIST_KINDS = ['fingerprint', 'detector', 'regex', 'place'] as const;
export type AllowlistKind = (typeof ALLOWLIST_KINDS)[number];

export interface AllowlistCandidate {
  detectorId: string;
  fingerprint: string;
  ref: DocumentRef;
  /** The raw secret, only computed when a regex entry needs it. */
  secret: () => string;
}

const compiled = new Map<string, RegExp | null>();

function regexOf(entry: AllowlistEntry): RegExp | null {
  if (!compiled.has(entry.id)) {
    let regex: RegExp | null;
    try {
      // Patterns are checked for catastrophic backtracking when the entry is created.
      regex = entry.pattern ? new RegExp(entry.pattern) : null;
    } catch {
      regex = null;
    }
    compiled.set(entry.id, regex);
  }
  return compiled.get(entry.id) ?? null;
}

/** Null (unset) fields of a place entry match anything; set ones must be equal. */
function placeMatches(entry: AllowlistEntry, ref: DocumentRef): boolean {
  return (
    (entry.platform === null || entry.platform === ref.platform) &&
    (entry.container === null || entry.container === ref.container) &&
    (entry.item === null || entry.item === ref.item)
  );
}

/**
 * The first entry that allowlists the candidate, or undefined. An entry's
 * optional detector restricts it to that detector for every kind.
 *
 * @example matchAllowlist(entries, { detectorId, fingerprint, ref, secret: () => raw })
 */
export function matchAllowlist(
  entries: readonly AllowlistEntry[],
  candidate: AllowlistCandidate,
): AllowlistEntry | undefined {
  return entries.find((entry) => {
    if (entry.detector_id !== null && entry.detector_id !== candidate.detectorId) return false;
    switch (entry.kind as AllowlistKind) {
      case 'fingerprint':
        return entry.fingerprint === candidate.fingerprint;
      case 'detector':
        return entry.detector_id === candidate.detectorId;
      case 'regex': {
        const regex = regexOf(entry);
        return regex !== null && regex.test(candidate.secret());
      }
      case 'place':
        return placeMatches(entry, candidate.ref);
      default:
        return false;
    }
  });
}
