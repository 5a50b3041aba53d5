import type { Detector } from '../core/detector.ts';

export interface LoadedRules {
  detectors: Detector[];
  /** Parts of the file that were understood but do not apply (e.g. path-only gitleaks rules). */
  warnings: string[];
}

/** A rule file problem; `field` names the rule and field (`rule "acme-key": regex`). */
export class RuleFileError extends Error {
  override name = 'RuleFileError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
