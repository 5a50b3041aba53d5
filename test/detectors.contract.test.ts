import { describe, expect, it } from 'vitest';
import { detectors } from '../detectors/index.ts';
import { createScanner } from '../src/detection/scanner.ts';
import { KeywordPrefilter } from '../src/detection/prefilter.ts';

// One scanner with every detector, as production runs them: examples must hold
// alongside all the other detectors (e.g. a generic detector must yield to a specific one).
const scanner = createScanner({ detectors, fingerprintKey: 'contract-test-key-0123456789abcdef' });

describe('detector registry', () => {
  it('has unique kebab-case ids and issuers', () => {
    const ids = detectors.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of detectors) {
      expect(d.id, d.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(d.issuer, d.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  });
});

describe.each(detectors.map((d) => [d.id, d] as const))('%s', (_id, detector) => {
  it('is well-formed', () => {
    expect(detector.name.length).toBeGreaterThan(0);
    expect(detector.keywords.length).toBeGreaterThan(0);
    expect(detector.pattern.source).toContain('(?<secret>');
    expect(detector.pattern.flags).not.toMatch(/[gy]/);
    expect(detector.examples.match.length).toBeGreaterThanOrEqual(2);
    expect(detector.examples.ignore.length).toBeGreaterThanOrEqual(3);
  });

  it.each(detector.examples.match.map((text) => [text]))('finds the credential in %s', (text) => {
    // The prefilter must let every true positive through to the pattern.
    const prefilter = new KeywordPrefilter(detector.keywords);
    let hits = 0;
    prefilter.scan(text, () => hits++);
    expect(hits, 'no keyword of the detector occurs in the example').toBeGreaterThan(0);

    const found = scanner.scan(text).filter((m) => m.detectorId === detector.id);
    expect(found.length, 'expected at least one match').toBeGreaterThan(0);
    for (const m of found) {
      // The span points at the credential, and nothing raw leaks through the redacted preview.
      expect(text.slice(m.start, m.end)).toBe(m.secret.reveal());
      expect(m.redacted).not.toContain(m.secret.reveal());
      expect(JSON.stringify(m)).not.toContain(m.secret.reveal());
    }
  });

  it.each(detector.examples.ignore.map((text) => [text]))('stays quiet on %s', (text) => {
    const found = scanner.scan(text).filter((m) => m.detectorId === detector.id);
    expect(found.map((m) => m.redacted)).toEqual([]);
  });
});
