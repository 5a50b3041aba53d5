import { describe, expect, it } from 'vitest';
import {
  githubFineGrainedScore,
  hasBase62Crc32,
  hasGitlabRoutableCrc,
  withBase62Crc32,
  withGitlabRoutableCrc,
} from './checksums.ts';

describe('GitHub/npm base62 CRC32', () => {
  it('accepts tokens whose last 6 characters are base62(CRC32(body))', () => {
    const token = withBase62Crc32('ghp_', 'Zq8mR2vK9pL4xW7nT1sY6bH3cJ5dF0');
    expect(token).toHaveLength(40);
    expect(hasBase62Crc32(token, 'ghp_')).toBe(true);
  });

  it('rejects the GitHub documentation sample and single-character changes', () => {
    expect(hasBase62Crc32('ghs_16C7e42F292c69C2E7C10c838347Ae178B4a', 'ghs_')).toBe(false);
    const token = withBase62Crc32('npm_', 'Zq8mR2vK9pL4xW7nT1sY6bH3cJ5dF0');
    expect(hasBase62Crc32(token.slice(0, 10) + 'A' + token.slice(11), 'npm_')).toBe(false);
    expect(hasBase62Crc32(token, 'ghp_')).toBe(false);
  });
});

describe('GitLab routable CRC', () => {
  it('accepts a token built by the routable scheme and rejects a tampered one', () => {
    const token = withGitlabRoutableCrc('glpat-Zq8mR2vK9pL4xW7nT1sY6bH3cJ5dF0aQ.01.0w');
    expect(hasGitlabRoutableCrc(token)).toBe(true);
    expect(hasGitlabRoutableCrc(token.replace('Zq8', 'Zq9'))).toBe(false);
  });
});

describe('GitHub fine-grained PAT score', () => {
  it('scores a well-formed token without a valid check lower than 1 but above 0, and rejects wrong lengths', () => {
    const body = '11ABCDEFGHIJKLMNOPQRSTU_' + 'a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456789abcdefghijkl'.slice(0, 58);
    expect(githubFineGrainedScore('github_pat_' + body.slice(0, 82))).toBeGreaterThan(0);
    expect(githubFineGrainedScore('github_pat_' + body.slice(0, 82))).toBeLessThanOrEqual(1);
    expect(githubFineGrainedScore('github_pat_short')).toBe(0);
  });
});
