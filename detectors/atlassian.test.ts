import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { atlassianApiToken, atlassianCrcScore, atlassianDataCenterPat, isDataCenterPatBody } from './atlassian.ts';

function withCrc(head: string): string {
  return head + (crc32(head) >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

describe('atlassianCrcScore', () => {
  const token = withCrc(`ATATT3xFfGF0${'Kq7-Vz_2'.repeat(21)}abc=`);

  it('is 1 when the trailing hex is the CRC32 of everything up to the `=`', () => {
    expect(atlassianCrcScore(token)).toBe(1);
    expect(atlassianCrcScore(token.replace(/.{8}$/, (h) => h.toLowerCase()))).toBe(1);
  });

  it('takes the whole token, not the sentence around it', () => {
    expect(atlassianApiToken.pattern.exec(`try ${token}. It works`)?.groups?.secret).toBe(token);
  });

  it('lowers confidence on a CRC miss and rejects a malformed tail', () => {
    expect(atlassianCrcScore(`${token.slice(0, -8)}00000000`)).toBe(0.5);
    expect(atlassianCrcScore(token.slice(0, -1))).toBe(0);
    expect(atlassianCrcScore('ATATT3xFfGF0abc')).toBe(0);
  });
});

describe('Data Center PATs', () => {
  const body = (id: string, sep = ':') =>
    Buffer.concat([Buffer.from(id + sep), Buffer.alloc(20, 0xa7)]).toString('base64');

  it('decodes to a 12-digit id and a colon', () => {
    expect(isDataCenterPatBody(body('428716390512'))).toBe(true);
    expect(isDataCenterPatBody(body('42871639051a'))).toBe(false);
    expect(isDataCenterPatBody(body('428716390512', ';'))).toBe(false);
    expect(isDataCenterPatBody(body('428716390512').slice(0, 43))).toBe(false);
  });

  it('needs an auth or vendor word before the value', () => {
    const value = body('917350264831');
    expect(atlassianDataCenterPat.pattern.exec(`Authorization: Bearer ${value}`)?.groups?.secret).toBe(value);
    expect(atlassianDataCenterPat.pattern.exec(`sha: ${value}`)).toBeNull();
  });
});
