import { describe, expect, it } from 'vitest';
import { withGitlabRoutableCrc } from '../src/detection/checksums.ts';
import { gitlabIncomingMailToken, gitlabPat, gitlabPatRoutable, gitlabDeployToken } from './gitlab.ts';

const secretOf = (pattern: RegExp, text: string) => pattern.exec(text)?.groups?.secret;
// base64url of "o:5k\nu:9x" + 16 bytes + the length byte, as GitLab builds it
const PAYLOAD = 'bzo1awp1Ojl4q2Lf8Rz0Tn6WcXm1Vd4Yh9bKEA';

describe('gitlab routable tokens', () => {
  it('validates the versioned and the unversioned layout by CRC', () => {
    for (const token of [
      withGitlabRoutableCrc(`glpat-${PAYLOAD}.01.${PAYLOAD.length.toString(36)}`),
      withGitlabRoutableCrc(`glpat-${PAYLOAD}.${PAYLOAD.length.toString(36)}`),
    ]) {
      expect(secretOf(gitlabPatRoutable.pattern, `GITLAB_TOKEN=${token}.`)).toBe(token);
      expect(gitlabPatRoutable.validate?.(token, {})).toBe(true);
      expect(gitlabPatRoutable.validate?.(`${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`, {})).toBe(false);
    }
  });

  it('leaves routable tokens to the routable detector', () => {
    const token = withGitlabRoutableCrc(`glpat-${PAYLOAD}.01.${PAYLOAD.length.toString(36)}`);
    expect(secretOf(gitlabPat.pattern, token)).toBeUndefined();
  });

  it('accepts a routable body for the other prefixes only with a valid CRC', () => {
    const token = withGitlabRoutableCrc(`gldt-${PAYLOAD}.01.${PAYLOAD.length.toString(36)}`);
    expect(secretOf(gitlabDeployToken.pattern, token)).toBe(token);
    expect(gitlabDeployToken.validate?.(token, {})).toBe(true);
    expect(gitlabDeployToken.validate?.(token.replace('gldt-', 'gldt-A'), {})).toBe(false);
    expect(gitlabDeployToken.validate?.('gldt-L9Ll7J-9ptoVIoJfV1iG', {})).toBe(true);
  });

  it('cuts the incoming mail token out of a Service Desk address', () => {
    const body = 'wTrfxgz73u3mM8iUBkg7eF4Bq';
    expect(
      secretOf(gitlabIncomingMailToken.pattern, `incoming+acme-app-42-glimt-${body}-issue@incoming.gitlab.com`),
    ).toBe(`glimt-${body}`);
  });
});
