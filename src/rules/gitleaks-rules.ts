import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import type { Detector } from '../core/detector.ts';
import { translateGoRegex } from './go-regex.ts';
import { unsafePatternReason } from './pattern-safety.ts';
import { isAllowlisted, type RuleAllowlist } from './rule-allowlist.ts';
import { RuleFileError, type LoadedRules } from './rule-file.ts';

const allowlistSchema = z.object({
  description: z.string().optional(),
  condition: z.enum(['OR', 'AND', 'or', 'and']).optional(),
  regexes: z.array(z.string()).optional(),
  regexTarget: z.enum(['secret', 'match', 'line']).optional(),
  stopwords: z.array(z.string()).optional(),
  // Git-specific conditions: there are no paths or commits in chat, tickets and wikis.
  paths: z.array(z.string()).optional(),
  commits: z.array(z.string()).optional(),
  targetRules: z.array(z.string()).optional(),
});

const ruleSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][\w.-]{0,99}$/, 'must be 1-100 letters, digits, ".", "_" or "-"'),
  description: z.string().optional(),
  regex: z.string().min(1).optional(),
  secretGroup: z.number().int().min(0).max(99).optional(),
  entropy: z.number().min(0).max(8).optional(),
  keywords: z.array(z.string().min(1)).optional(),
  path: z.string().optional(),
  tags: z.array(z.string()).optional(),
  allowlist: allowlistSchema.optional(),
  allowlists: z.array(allowlistSchema).optional(),
});

const fileSchema = z.object({
  title: z.string().optional(),
  rules: z.array(ruleSchema).default([]),
  allowlist: allowlistSchema.optional(),
  allowlists: z.array(allowlistSchema).optional(),
});

type RawAllowlist = z.infer<typeof allowlistSchema>;

function compileAllowlist(raw: RawAllowlist, where: string): RuleAllowlist {
  const regexes = (raw.regexes ?? []).map((source, i) => {
    const field = `${where}.regexes[${i}]`;
    let regex: RegExp;
    try {
      regex = translateGoRegex(source);
    } catch (error) {
      throw new RuleFileError(field, (error as Error).message);
    }
    const unsafe = unsafePatternReason(regex);
    if (unsafe) throw new RuleFileError(field, unsafe);
    return regex;
  });
  return {
    regexes,
    regexTarget: raw.regexTarget ?? 'secret',
    stopwords: raw.stopwords ?? [],
    condition: (raw.condition ?? 'OR').toUpperCase() as 'OR' | 'AND',
  };
}

/** Group count of a pattern, to default `secretGroup` like gitleaks (first capture group when there is one). */
function captureGroupCount(pattern: RegExp): number {
  return new RegExp(`${pattern.source}|`, pattern.flags).exec('')!.length - 1;
}

/**
 * Reads a gitleaks configuration (`[[rules]]` with `id`, `regex`, `secretGroup`,
 * `keywords`, `entropy`, `[[rules.allowlists]]`; global `[allowlist]` /
 * `[[allowlists]]`) into detectors. Rules that only match file paths are
 * skipped with a warning: collaboration text has no paths. Any other problem
 * rejects the whole file, naming the rule and field.
 */
export function parseGitleaksRules(text: string): LoadedRules {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    throw new RuleFileError('(file)', `not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [, index] = issue.path;
    const rules = (raw as { rules?: { id?: unknown }[] }).rules;
    const id = typeof index === 'number' ? rules?.[index]?.id : undefined;
    throw new RuleFileError(`${typeof id === 'string' ? `rule "${id}": ` : ''}${issue.path.join('.')}`, issue.message);
  }
  const file = parsed.data;
  const global = [
    ...(file.allowlist ? [{ raw: file.allowlist, where: 'allowlist' }] : []),
    ...(file.allowlists ?? []).map((raw, i) => ({ raw, where: `allowlists[${i}]` })),
  ].map(({ raw, where }) => ({ targetRules: raw.targetRules, list: compileAllowlist(raw, where) }));

  const warnings: string[] = [];
  const seen = new Set<string>();
  const detectors: Detector[] = [];
  for (const rule of file.rules) {
    const where = `rule "${rule.id}"`;
    if (seen.has(rule.id)) throw new RuleFileError(`${where}: id`, 'duplicate rule id');
    seen.add(rule.id);
    if (rule.regex === undefined) {
      warnings.push(`${where}: skipped, it only matches file paths`);
      continue;
    }
    let pattern: RegExp;
    try {
      pattern = translateGoRegex(rule.regex);
    } catch (error) {
      throw new RuleFileError(`${where}: regex`, (error as Error).message);
    }
    const unsafe = unsafePatternReason(pattern);
    if (unsafe) throw new RuleFileError(`${where}: regex`, unsafe);
    const groups = captureGroupCount(pattern);
    const secretGroup = rule.secretGroup ?? (groups > 0 ? 1 : 0);
    if (secretGroup > groups) throw new RuleFileError(`${where}: secretGroup`, `pattern has only ${groups} group(s)`);
    const allowlists = [
      ...(rule.allowlist ? [compileAllowlist(rule.allowlist, `${where}: allowlist`)] : []),
      ...(rule.allowlists ?? []).map((a, i) => compileAllowlist(a, `${where}: allowlists[${i}]`)),
      ...global.filter((g) => g.targetRules === undefined || g.targetRules.includes(rule.id)).map((g) => g.list),
    ];
    detectors.push({
      id: rule.id,
      name: rule.description ?? rule.id,
      issuer: 'custom',
      keywords: rule.keywords ?? [],
      pattern,
      secretGroup,
      ...(rule.entropy !== undefined ? { entropy: rule.entropy } : {}),
      ...(allowlists.length > 0
        ? { validate: (secret, _groups, context) => !isAllowlisted(allowlists, secret, context) }
        : {}),
      severity: 'medium',
      examples: { match: [], ignore: [] },
    });
  }
  return { detectors, warnings };
}
