import { describe, expect, it } from 'vitest';
import { DEFAULT_REVOCATION_POLICY, parseRevocationPolicy, revocationModeFor } from './revocation-policy.ts';

const EXAMPLE = JSON.stringify({
  default: 'manual',
  dryRun: false,
  rules: [
    { detector: 'github-classic-pat', mode: 'auto' },
    { issuer: 'slack', minSeverity: 'high', mode: 'auto' },
    { severity: 'low', mode: 'off' },
  ],
});

describe('LEAKWATCH_REVOCATION_POLICY', () => {
  it('defaults to manual, not a dry run, with no rules', () => {
    for (const json of [undefined, '', ' ', '{}'])
      expect(parseRevocationPolicy(json)).toEqual(DEFAULT_REVOCATION_POLICY);
    const policy = parseRevocationPolicy(undefined);
    expect(revocationModeFor(policy, { detectorId: 'x', issuer: 'y', severity: 'critical' })).toBe('manual');
    expect(parseRevocationPolicy('{"dryRun":true,"default":"off"}')).toEqual({
      default: 'off',
      dryRun: true,
      rules: [],
    });
  });

  it('uses the first matching rule, else the default', () => {
    const policy = parseRevocationPolicy(EXAMPLE);
    // The detector rule comes first, so it wins even for a low-severity finding the third rule would turn off.
    expect(revocationModeFor(policy, { detectorId: 'github-classic-pat', issuer: 'github', severity: 'low' })).toBe(
      'auto',
    );
    expect(revocationModeFor(policy, { detectorId: 'slack-bot-token', issuer: 'slack', severity: 'low' })).toBe('off');
    expect(revocationModeFor(policy, { detectorId: 'gitlab-pat', issuer: 'gitlab', severity: 'low' })).toBe('off');
    expect(revocationModeFor(policy, { detectorId: 'gitlab-pat', issuer: 'gitlab', severity: 'high' })).toBe('manual');

    const reordered = parseRevocationPolicy(
      JSON.stringify({
        rules: [
          { severity: 'low', mode: 'off' },
          { detector: 'github-classic-pat', mode: 'auto' },
        ],
      }),
    );
    expect(revocationModeFor(reordered, { detectorId: 'github-classic-pat', issuer: 'github', severity: 'low' })).toBe(
      'off',
    );
  });

  it('matches minSeverity at and above the threshold only', () => {
    const policy = parseRevocationPolicy(EXAMPLE);
    const slack = (severity: 'medium' | 'high' | 'critical') =>
      revocationModeFor(policy, { detectorId: 'slack-user-token', issuer: 'slack', severity });
    expect(slack('medium')).toBe('manual');
    expect(slack('high')).toBe('auto');
    expect(slack('critical')).toBe('auto');
  });

  it('requires every criterion of a rule to match', () => {
    const policy = parseRevocationPolicy(
      JSON.stringify({
        default: 'off',
        rules: [{ detector: 'npm-token', issuer: 'npm', severity: 'high', mode: 'auto' }],
      }),
    );
    expect(revocationModeFor(policy, { detectorId: 'npm-token', issuer: 'npm', severity: 'high' })).toBe('auto');
    expect(revocationModeFor(policy, { detectorId: 'npm-token', issuer: 'npm', severity: 'critical' })).toBe('off');
    expect(revocationModeFor(policy, { detectorId: 'npm-token', issuer: 'github', severity: 'high' })).toBe('off');
  });

  it('rejects invalid configuration, naming the field', () => {
    const invalid: [string, RegExp][] = [
      ['{"rules":[', /LEAKWATCH_REVOCATION_POLICY: not valid JSON/],
      ['[]', /LEAKWATCH_REVOCATION_POLICY: .*object/],
      ['{"default":"sometimes"}', /LEAKWATCH_REVOCATION_POLICY\.default:/],
      ['{"dryRun":"yes"}', /LEAKWATCH_REVOCATION_POLICY\.dryRun:/],
      ['{"dryrun":true}', /LEAKWATCH_REVOCATION_POLICY: Unrecognized key: "dryrun"/],
      ['{"rules":{}}', /LEAKWATCH_REVOCATION_POLICY\.rules:/],
      ['{"rules":[{"detector":"a","mode":"auto"},{"detector":"b","mode":"always"}]}', /\.rules\[1\]\.mode:/],
      ['{"rules":[{"detector":"a"}]}', /\.rules\[0\]\.mode:/],
      ['{"rules":[{"minSeverity":"severe","mode":"auto"}]}', /\.rules\[0\]\.minSeverity:/],
      ['{"rules":[{"severity":"High","mode":"auto"}]}', /\.rules\[0\]\.severity:/],
      ['{"rules":[{"mode":"auto"}]}', /\.rules\[0\]: must name at least one of/],
      ['{"rules":[{"detector":"","mode":"auto"}]}', /\.rules\[0\]\.detector:/],
      [
        '{"rules":[{"severity":"low","minSeverity":"low","mode":"off"}]}',
        /\.rules\[0\]\.minSeverity: cannot be combined/,
      ],
      ['{"rules":[{"detectorId":"a","mode":"auto"}]}', /\.rules\[0\]: Unrecognized key: "detectorId"/],
    ];
    for (const [json, message] of invalid) expect(() => parseRevocationPolicy(json), json).toThrow(message);
  });
});
