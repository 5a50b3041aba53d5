import { describe, expect, it } from 'vitest';
import { placeholderReason } from './placeholders.ts';

describe('placeholderReason', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'known documentation sample'],
    ['sk_test_my_EXAMPLE_key_12345', 'placeholder word'],
    ['${{ secrets.NPM_TOKEN }}', 'template expression'],
    ['$NPM_TOKEN', 'template expression'],
    ['xoxb-xxxxxxxxxxxx', 'masked'],
    ['ghp_XXXXXXXXXXXXXXXXXXXX', 'masked'],
    ['tok-aaaaaaQ9', 'repeated character'],
    ['xoxb-000000000000-000000000000-Qz9Kx2Lm7Vb4Nc8Rt5Wy1Hd3', 'repeated character'],
    ['key-0123456789-Qz', 'sequential characters'],
  ])('%j is a placeholder (%s)', (value, reason) => {
    expect(placeholderReason(value)).toBe(reason);
  });

  it.each([
    'Qm8vT3zLx9Rk2Wp7Yc4N',
    // Case matters where the filters say so: mixed-case x runs and lower-case $names are not masks or variables.
    'xXxXxQ7vLm2Rk9Tz',
    '$lowercase9Kq2',
    // Real tokens whose numeric ids repeat a digit six times by chance.
    'xoxb-268603388528-4444449808382-42tVpq4hs54raJjw2EsNsicW',
    'xoxb-777777206462-1545524119544-dcd4GJ0d3A7MK9yPpwh9DMWA',
  ])('%j may be a real secret', (value) => {
    expect(placeholderReason(value)).toBeUndefined();
  });
});
