import { describe, expect, it } from 'vitest';
import { azureDevopsPat, azureDevopsPatLegacy } from './azure-devops.ts';

const RANDOM = 'irtiCnCNXy4i8tldPvsZJwhDmRW6Y6sqpdUL136cktDbvYdbGS8H';

describe('azure-devops-pat', () => {
  it('matches the CASK layout with zero-filled reserved fields', () => {
    const token = `${RANDOM}JQQJ99BCACAAAAAAAAAAAAASAZDON0mG`;
    expect(token).toHaveLength(84);
    expect(azureDevopsPat.pattern.exec(`PAT=${token}`)?.groups?.secret).toBe(token);
    expect(azureDevopsPat.validate?.(token, {})).toBe(true);
  });

  it('still filters placeholders in the random part', () => {
    expect(azureDevopsPat.validate?.(`${'x'.repeat(52)}JQQJ99BCACAAAAAAAAAAAAASAZDON0mG`, {})).toBe(false);
  });

  it('needs AZDO at offset 76', () => {
    expect(azureDevopsPat.pattern.exec(`${RANDOM}JQQJ99BCACAAAAAAAAAAAAASACOGN0mG`)).toBeNull();
  });
});

describe('azure-devops-pat-legacy', () => {
  const token = 'dqzzmemre4xtmu4ke6udtky4f5kgg7ss5hprpvlfey67uxuramb6';

  it('accepts lower-case base32 with digits only', () => {
    expect(azureDevopsPatLegacy.validate?.(token, {})).toBe(true);
    expect(azureDevopsPatLegacy.validate?.(token.toUpperCase(), {})).toBe(false);
    expect(azureDevopsPatLegacy.validate?.(token.replace(/[2-7]/g, 'q'), {})).toBe(false);
  });

  it('finds the token in a dev.azure.com clone URL without a leading keyword', () => {
    expect(azureDevopsPatLegacy.pattern.exec(`https://u:${token}@dev.azure.com/acme/p/_git/r`)?.groups?.secret).toBe(
      token,
    );
    expect(azureDevopsPatLegacy.pattern.exec(`https://u:${token}@example.org/r`)).toBeNull();
  });
});
