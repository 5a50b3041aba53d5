import { describe, expect, it } from 'vitest';
import {
  AZURE_SEEDS,
  azureDetectors,
  entraClientSecretScore,
  hasCaskChecksum,
  hasIdentifiableChecksum,
  marvin32,
} from './azure.ts';

/** Changes the character at `index` to another character of the same alphabet. */
function flip(value: string, index: number): string {
  const c = value[index]!;
  return value.slice(0, index) + (c === 'A' ? 'B' : 'A') + value.slice(index + 1);
}

describe('marvin32 / Entra client secret checksum', () => {
  it("validates Microsoft's published 8Q~ sample (security-utilities test data)", () => {
    expect(entraClientSecretScore('zzz8Q~zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzblP')).toBe(1);
    expect(entraClientSecretScore('zzz8Q~zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzblQ')).toBe(0);
  });

  it('accepts checksum-less 7Q~ secrets and rejects other markers', () => {
    expect(entraClientSecretScore('dC77Q~WuAGp6GYKhr94G2rmZawAAvWfi.EYu-cWK')).toBe(1);
    expect(entraClientSecretScore('dC7aQ~WuAGp6GYKhr94G2rmZawAAvWfi.EYu-cWK')).toBe(0);
  });

  it('is a 32-bit hash of every byte (tail handling for 0–3 leftover bytes)', () => {
    const seed = AZURE_SEEDS.storage[0];
    const seen = new Set<number>();
    for (let n = 0; n <= 9; n++) seen.add(marvin32(Buffer.alloc(n, 7), seed));
    expect(seen.size).toBe(10);
    expect(marvin32(Buffer.from('abcd'), seed)).not.toBe(marvin32(Buffer.from('abce'), seed));
  });
});

describe('identifiable key checksums', () => {
  const cases: [string, string, readonly bigint[]][] = [
    [
      'storage',
      '5o+GJPBPSKhmxMgTK/+V6niaWRSKdwlr8TI8wF1Eto21dsFMGbk7rlcnr2oSYY6NgbbKBNtJ8Bub+AStLKDaGA==',
      AZURE_SEEDS.storage,
    ],
    [
      'cosmos',
      '9911K/aFx8eVwSvsFDgoI4FTzw2E1h7xOsTIkiC0x8ffqY2Xmf+xCJAf5yDtrVMcTH498O+vrAuAACDbfqkr4Q==',
      AZURE_SEEDS.cosmos,
    ],
    ['service bus', '6UkbrKMtJ2qQORFM6OtJoGnBZsJKD85Ns+ASbBhJMJY=', AZURE_SEEDS.messaging],
    ['iot', 'kF5fP1vQ29lv9+ac4f9hLxHaTbetQNri7AIoTICAAOg=', AZURE_SEEDS.iot],
    ['functions (url-safe)', 'wrCv3AT6CtVHbTw7fl1UYLTd5BkLthYaznKj8y2ZBOPUAzFuSfs89Q==', AZURE_SEEDS.functions],
    ['search', '0z3aWflAZZNluYBb1T72MDEx98SEtWTURDTbbaDkwVAzSeC4wGtw', AZURE_SEEDS.search],
    ['container registry', 'qwDruZsasFocLJw1yJZXObSzuZ37F4b8s9wWNrhzJK+ACRAFtlFJ', AZURE_SEEDS.containerRegistry],
    [
      'apim',
      'wAXrXN2PFXRSMeQ+QnHpLrfjg/TstDQveFl8DKkD8C2JODzBJOtcT3rCQS5A2rmxtmYydC8JkfeJAPIMG6EcsA==',
      AZURE_SEEDS.apim,
    ],
    ['redis', 'gXwVZLkH2126gvRPjjGkuejnKDOSnuYD2AzCaMrveaQ=', AZURE_SEEDS.redis],
  ];

  it.each(cases)('%s: valid checksum holds, a changed character breaks it', (_kind, key, seeds) => {
    expect(hasIdentifiableChecksum(key, seeds)).toBe(true);
    expect(hasIdentifiableChecksum(flip(key, 10), seeds)).toBe(false);
  });

  it("does not validate under another key kind's seeds", () => {
    expect(hasIdentifiableChecksum(cases[0]![1], AZURE_SEEDS.cosmos)).toBe(false);
  });

  it('checks the CASK (84-char) checksum', () => {
    const key = 'IbOsV1UETpSl9exSXxTEAQMwwHkU5rfvLKBEFC30WkbIXgZzggsZJQQJ99BDRIAIz8ilLU8dAAABACOGf1GL';
    expect(hasCaskChecksum(key)).toBe(true);
    expect(hasCaskChecksum(flip(key, 3))).toBe(false);
  });
});

describe('azure detectors', () => {
  it('report an identifiable key without a checksum at lower confidence', () => {
    const storage = azureDetectors.find((d) => d.id === 'azure-storage-identifiable-key')!;
    const key = '5o+GJPBPSKhmxMgTK/+V6niaWRSKdwlr8TI8wF1Eto21dsFMGbk7rlcnr2oSYY6NgbbKBNtJ8Bub+AStLKDaGA==';
    expect(storage.validate?.(key, {})).toBe(1);
    expect(storage.validate?.(flip(key, 5), {})).toBe(0.7);
  });

  it('leave Azure DevOps CASK PATs to the azure-devops detectors', () => {
    const cask = azureDetectors.find((d) => d.id === 'azure-cask-key')!;
    expect(cask.validate?.('x'.repeat(84), { provider: 'AZDO' })).toBe(false);
  });
});
