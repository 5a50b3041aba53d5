import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Detector } from '../core/detector.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import { parseGitleaksRules } from './gitleaks-rules.ts';
import { parseLeakwatchRules } from './leakwatch-rules.ts';
import { RuleFileError, type LoadedRules } from './rule-file.ts';

/** Rule files larger than this are refused: a rule file is configuration, not data. */
const MAX_RULE_FILE_BYTES = 1024 * 1024;

/**
 * Loads custom rules from a gitleaks TOML file (`.toml`) or a leakwatch JSON/YAML
 * file (`.json`, `.yaml`, `.yml`). Any problem rejects the file with an error
 * naming the file, the rule and the field; ids may not collide with `existing`.
 */
export function loadRuleFile(path: string, existing: readonly Detector[]): LoadedRules {
  const fail = (message: string): never => {
    throw new LeakwatchError(ErrorCode.ConfigInvalid, `rules file ${path}: ${message}`);
  };
  let text = '';
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_RULE_FILE_BYTES) fail(`larger than ${MAX_RULE_FILE_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof LeakwatchError) throw error;
    fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const ext = extname(path).toLowerCase();
  let loaded: LoadedRules = { detectors: [], warnings: [] };
  try {
    if (ext === '.toml') loaded = parseGitleaksRules(text);
    else if (ext === '.json') loaded = parseLeakwatchRules(text, 'json');
    else if (ext === '.yaml' || ext === '.yml') loaded = parseLeakwatchRules(text, 'yaml');
    else fail('unknown extension: use .toml (gitleaks format), .json, .yaml or .yml (leakwatch format)');
  } catch (error) {
    if (error instanceof RuleFileError) fail(error.message);
    throw error;
  }
  const taken = new Set(existing.map((d) => d.id));
  for (const d of loaded.detectors) if (taken.has(d.id)) fail(`rule "${d.id}": id: collides with a built-in detector`);
  return loaded;
}

/** Loads several rule files on top of the built-in detectors. */
export function withCustomRules(
  builtIn: readonly Detector[],
  paths: readonly string[],
): { detectors: Detector[]; warnings: string[] } {
  const detectors = [...builtIn];
  const warnings: string[] = [];
  for (const path of paths) {
    const loaded = loadRuleFile(path, detectors);
    detectors.push(...loaded.detectors);
    warnings.push(...loaded.warnings.map((w) => `rules file ${path}: ${w}`));
  }
  return { detectors, warnings };
}
