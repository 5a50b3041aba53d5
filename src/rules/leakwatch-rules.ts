import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Detector } from '../core/detector.ts';
import { SEVERITIES } from '../core/severity.ts';
import { createScanner } from '../detection/scanner.ts';
import { httpVerifier } from '../verification/http-verifier.ts';
import { fillSecretTemplate } from '../verification/secret-template.ts';
import { unsafePatternReason } from './pattern-safety.ts';
import { isAllowlisted, type RuleAllowlist } from './rule-allowlist.ts';
import { RuleFileError, type LoadedRules } from './rule-file.ts';

const statusList = z.array(z.number().int().min(100).max(599)).min(1);

const verifySchema = z.object({
  url: z
    .string()
    .url()
    .refine((u) => u.startsWith('https://'), 'must be an https:// URL'),
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  liveStatus: statusList.default([200]),
  deadStatus: statusList.default([401, 403]),
});

const ruleSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)'),
  name: z.string().min(1).optional(),
  issuer: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case')
    .default('custom'),
  severity: z.enum(SEVERITIES).default('medium'),
  keywords: z.array(z.string().min(1)).default([]),
  pattern: z.string().min(1),
  flags: z
    .string()
    .regex(/^[ims]*$/, 'only i, m and s are allowed')
    .default(''),
  secretGroup: z.number().int().min(0).max(99).optional(),
  entropy: z.number().min(0).max(8).optional(),
  allowlist: z
    .object({ regexes: z.array(z.string()).default([]), stopwords: z.array(z.string()).default([]) })
    .optional(),
  examples: z
    .object({ match: z.array(z.string()).default([]), ignore: z.array(z.string()).default([]) })
    .default({ match: [], ignore: [] }),
  verify: verifySchema.optional(),
});

const fileSchema = z.object({ rules: z.array(ruleSchema).min(1, 'needs at least one rule') });

function compile(source: string, flags: string, field: string): RegExp {
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    throw new RuleFileError(field, `not a valid pattern: ${(error as Error).message}`);
  }
  const unsafe = unsafePatternReason(regex);
  if (unsafe) throw new RuleFileError(field, unsafe);
  return regex;
}

/**
 * Reads leakwatch's own rule format (JSON or YAML): like gitleaks' plus
 * severity, issuer, examples that are checked at load, and an optional
 * declarative HTTP liveness check whose URL the admin fixes in the file.
 *
 * @example
 *   rules:
 *     - id: acme-api-key
 *       keywords: [acme_]
 *       pattern: '(?<secret>acme_[A-Za-z0-9]{32})'
 *       verify: { url: 'https://api.acme.example/v1/me', headers: { Authorization: 'Bearer {{secret}}' } }
 */
export function parseLeakwatchRules(text: string, format: 'json' | 'yaml'): LoadedRules {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new RuleFileError('(file)', `not valid ${format.toUpperCase()}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const index = issue.path[1];
    const id = typeof index === 'number' ? (raw as { rules: { id?: unknown }[] }).rules[index]?.id : undefined;
    throw new RuleFileError(`${typeof id === 'string' ? `rule "${id}": ` : ''}${issue.path.join('.')}`, issue.message);
  }

  const seen = new Set<string>();
  const detectors = parsed.data.rules.map((rule): Detector => {
    const where = `rule "${rule.id}"`;
    if (seen.has(rule.id)) throw new RuleFileError(`${where}: id`, 'duplicate rule id');
    seen.add(rule.id);
    const pattern = compile(rule.pattern, rule.flags, `${where}: pattern`);
    const named = /\(\?<secret>/.test(pattern.source);
    const allowlist: RuleAllowlist | undefined = rule.allowlist && {
      regexes: rule.allowlist.regexes.map((r, i) => compile(r, '', `${where}: allowlist.regexes[${i}]`)),
      regexTarget: 'secret',
      stopwords: rule.allowlist.stopwords,
      condition: 'OR',
    };
    const v = rule.verify;
    return {
      id: rule.id,
      name: rule.name ?? rule.id,
      issuer: rule.issuer,
      keywords: rule.keywords,
      pattern,
      ...(named ? {} : { secretGroup: rule.secretGroup ?? 0 }),
      ...(rule.entropy !== undefined ? { entropy: rule.entropy } : {}),
      ...(allowlist ? { validate: (secret: string) => !isAllowlisted([allowlist], secret, undefined) } : {}),
      severity: rule.severity,
      examples: rule.examples,
      ...(v
        ? {
            verify: httpVerifier({
              hosts: [new URL(v.url).hostname],
              request: (secret) => ({
                method: v.method,
                url: fillSecretTemplate(v.url, secret, encodeURIComponent),
                headers: Object.fromEntries(
                  Object.entries(v.headers).map(([name, value]) => [name, fillSecretTemplate(value, secret)]),
                ),
                ...(v.body !== undefined ? { body: fillSecretTemplate(v.body, secret) } : {}),
              }),
              liveStatus: v.liveStatus,
              deadStatus: v.deadStatus,
              fixtures: { live: { status: v.liveStatus[0]! }, dead: { status: v.deadStatus[0]! } },
            }),
          }
        : {}),
    };
  });

  // Examples are a rule's own tests: a rule that misses its match examples or
  // fires on its ignore examples is rejected at load, like the built-ins in CI.
  for (const detector of detectors) {
    const scanner = createScanner({ detectors: [detector], fingerprintKey: 'rule-example-check' });
    detector.examples.match.forEach((text, i) => {
      if (scanner.scan(text).length === 0) {
        throw new RuleFileError(`rule "${detector.id}": examples.match[${i}]`, 'the rule does not find a secret in it');
      }
    });
    detector.examples.ignore.forEach((text, i) => {
      if (scanner.scan(text).length > 0) {
        throw new RuleFileError(`rule "${detector.id}": examples.ignore[${i}]`, 'the rule reports a secret in it');
      }
    });
  }
  return { detectors, warnings: [] };
}
