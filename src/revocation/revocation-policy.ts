import { z } from 'zod';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import { SEVERITIES, severityRank, type Severity } from '../core/severity.ts';

const ENV = 'LEAKWATCH_REVOCATION_POLICY';

/** `off`: never revoke; `manual`: an admin must request it; `auto`: revoke as soon as the secret is found live. */
export const REVOCATION_MODES = ['off', 'manual', 'auto'] as const;
export type RevocationMode = (typeof REVOCATION_MODES)[number];

/** A rule matches when every criterion it names matches (criteria left out match anything). */
export interface RevocationRule {
  detector?: string;
  issuer?: string;
  /** Exactly this severity. */
  severity?: Severity;
  /** This severity or a more serious one. */
  minSeverity?: Severity;
  mode: RevocationMode;
}

export interface RevocationPolicy {
  /** Mode when no rule matches. */
  default: RevocationMode;
  /** Decide and record what would be revoked, but never call a revoker or a revocation hook. */
  dryRun: boolean;
  /** Checked in order; the first match wins. */
  rules: RevocationRule[];
}

/** Without configuration a human decides every revocation, and it is real (not a rehearsal). */
export const DEFAULT_REVOCATION_POLICY: Readonly<RevocationPolicy> = { default: 'manual', dryRun: false, rules: [] };

const severity = z.enum(SEVERITIES);

const ruleSchema = z
  .strictObject({
    detector: z.string().min(1).optional(),
    issuer: z.string().min(1).optional(),
    severity: severity.optional(),
    minSeverity: severity.optional(),
    mode: z.enum(REVOCATION_MODES),
  })
  .superRefine((rule, ctx) => {
    // A rule without criteria would silently shadow every rule after it; that is what `default` is for.
    if (!rule.detector && !rule.issuer && !rule.severity && !rule.minSeverity) {
      ctx.addIssue({
        code: 'custom',
        message: 'must name at least one of detector, issuer, severity, minSeverity (use "default" for a catch-all)',
      });
    }
    if (rule.severity && rule.minSeverity) {
      ctx.addIssue({ code: 'custom', path: ['minSeverity'], message: 'cannot be combined with severity' });
    }
  });

const policySchema = z.strictObject({
  default: z.enum(REVOCATION_MODES).default('manual'),
  dryRun: z.boolean().default(false),
  rules: z.array(ruleSchema).default([]),
});

/** `['rules', 1, 'mode']` → `LEAKWATCH_REVOCATION_POLICY.rules[1].mode`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), ENV);
}

function fail(lines: string[]): never {
  throw new LeakwatchError(ErrorCode.ConfigInvalid, `invalid configuration:\n  ${lines.join('\n  ')}`);
}

/**
 * Parses `LEAKWATCH_REVOCATION_POLICY` (JSON) once, at start. Unset or blank
 * gives (a copy of) {@link DEFAULT_REVOCATION_POLICY}; every error names its field.
 *
 * @example
 *   parseRevocationPolicy('{"dryRun":true,"rules":[{"detector":"github-classic-pat","mode":"auto"}]}')
 *   // → { default: 'manual', dryRun: true, rules: [{ detector: 'github-classic-pat', mode: 'auto' }] }
 *   parseRevocationPolicy('{"rules":[{"mode":"always"}]}')
 *   // throws "LEAKWATCH_REVOCATION_POLICY.rules[0].mode: Invalid option: …"
 */
export function parseRevocationPolicy(json: string | undefined): RevocationPolicy {
  let raw: unknown = {};
  try {
    if (json !== undefined && json.trim() !== '') raw = JSON.parse(json);
  } catch (error) {
    const position = /position \d+/.exec((error as Error).message)?.[0];
    fail([`${ENV}: not valid JSON${position ? ` (at ${position})` : ''}`]);
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) fail(parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`));
  return parsed.data;
}

function ruleMatches(rule: RevocationRule, finding: RevocationSubject): boolean {
  if (rule.detector !== undefined && rule.detector !== finding.detectorId) return false;
  if (rule.issuer !== undefined && rule.issuer !== finding.issuer) return false;
  if (rule.severity !== undefined && rule.severity !== finding.severity) return false;
  if (rule.minSeverity !== undefined && severityRank(finding.severity) < severityRank(rule.minSeverity)) return false;
  return true;
}

export interface RevocationSubject {
  detectorId: string;
  issuer: string;
  severity: Severity;
}

/**
 * The revocation mode for a finding: the first rule that matches, else the
 * policy's default. Whether to actually call the revoker also depends on
 * `policy.dryRun`.
 *
 * @example
 *   revocationModeFor(policy, { detectorId: 'slack-bot-token', issuer: 'slack', severity: 'critical' }) // 'auto'
 */
export function revocationModeFor(policy: RevocationPolicy, finding: RevocationSubject): RevocationMode {
  return policy.rules.find((rule) => ruleMatches(rule, finding))?.mode ?? policy.default;
}
