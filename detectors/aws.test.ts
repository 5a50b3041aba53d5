import { describe, it, expect } from 'vitest';
import { awsAccountIdFromKeyId, awsBedrockApiKey, awsBedrockShortTermApiKey } from './aws.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Inverse of the decoder: a key id for `account` with the marker bit set and fixed filler bits. */
function keyIdFor(prefix: string, account: bigint, low7 = 0x55n, tail = 0x9e3779b9n): string {
  const x = (1n << 47n) | (account << 7n) | low7;
  const bits = (x << 32n) | tail;
  let out = prefix;
  for (let i = 15; i >= 0; i--) out += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

describe('awsAccountIdFromKeyId', () => {
  it('decodes a published key id', () => {
    // Public example from research on AWS key id structure (not a live key).
    expect(awsAccountIdFromKeyId('ASIAY34FZKBOKMUTVV7A')).toBe('609629065308');
  });

  it('round-trips accounts, keeping leading zeros', () => {
    for (const account of ['508173916240', '947062318855', '005310077262', '999999999999', '000000000001']) {
      for (const prefix of ['AKIA', 'ASIA', 'ABIA', 'ACCA']) {
        expect(awsAccountIdFromKeyId(keyIdFor(prefix, BigInt(account)))).toBe(account);
      }
    }
  });

  it('ignores the bits around the account', () => {
    const a = keyIdFor('AKIA', 508173916240n, 0n, 0n);
    const b = keyIdFor('AKIA', 508173916240n, 0x7fn, 0xffffffffn);
    expect(a).not.toBe(b);
    expect(awsAccountIdFromKeyId(a)).toBe(awsAccountIdFromKeyId(b));
  });

  it('returns undefined for legacy AKIAI/AKIAJ ids', () => {
    expect(awsAccountIdFromKeyId('AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
    expect(awsAccountIdFromKeyId('AKIAJQ2EXKLN7MTY3RDA')).toBeUndefined();
  });

  it('returns undefined for strings that are not key ids', () => {
    expect(awsAccountIdFromKeyId('AKIAXMUMGTBIKJNCEDN')).toBeUndefined(); // 19 chars
    expect(awsAccountIdFromKeyId('AKIAXMUMGTBIKJNCEDNTX')).toBeUndefined(); // 21 chars
    expect(awsAccountIdFromKeyId('AKIAXMUMGTBIKJNCED01')).toBeUndefined(); // 0 and 1 are not base32
    expect(awsAccountIdFromKeyId('akiaxmumgtbikjncednt')).toBeUndefined();
  });
});

describe('Bedrock API key validation', () => {
  const longTerm = (decoded: string) => 'ABSK' + Buffer.from(decoded).toString('base64');

  it('accepts the BedrockAPIKey-<id>-at-<account>:<secret> layout', () => {
    const key = longTerm('BedrockAPIKey-k3v9-at-508173916240:PR2j410uud+bkvKv8+bhL79KqMjrIFfjdc0RjRv57wJpOlXS');
    expect(awsBedrockApiKey.validate?.(key, {})).toBe(1);
  });

  it('rejects payloads that are not Bedrock keys or not base64', () => {
    expect(awsBedrockApiKey.validate?.(longTerm('BedrockAPIKey-\u0000\u0001\u0002binary'), {})).toBe(false);
    expect(awsBedrockApiKey.validate?.(longTerm('SomethingElse-k3v9-at-508173916240:abc'), {})).toBe(false);
    expect(awsBedrockApiKey.validate?.('ABSKQmVkcm9ja0FQSUtleS01Z3RoLWF0LTE5O', {})).toBe(false);
  });

  it('scores a short-term key by whether its signature is present', () => {
    const url =
      'bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      '&X-Amz-Credential=ASIAUERE53NEAV4C66AW%2F20260114%2Fus-east-1%2Fbedrock%2Faws4_request';
    const signed = url + '&X-Amz-Signature=' + '3f'.repeat(32) + '&X-Amz-SignedHeaders=host&Version=1';
    const key = (s: string) => 'bedrock-api-key-' + Buffer.from(s).toString('base64');
    expect(awsBedrockShortTermApiKey.validate?.(key(signed), {})).toBe(1);
    expect(awsBedrockShortTermApiKey.validate?.(key(url), {})).toBe(0.5);
    expect(awsBedrockShortTermApiKey.validate?.(key('bedrock.amazonaws.com is the host'), {})).toBe(false);
  });
});
