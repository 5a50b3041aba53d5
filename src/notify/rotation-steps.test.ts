import { describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { rotationGuideFor } from './rotation-steps.ts';

const MAIN_ISSUERS = [
  'github',
  'gitlab',
  'slack',
  'aws',
  'npm',
  'atlassian',
  'google',
  'stripe',
  'openai',
  'anthropic',
  'docker',
  'azure-devops',
  'azure',
];

describe('rotationGuideFor', () => {
  it('points every main issuer to its own settings page or instructions', () => {
    for (const issuer of MAIN_ISSUERS) {
      const guide = rotationGuideFor({ issuer, detectorId: `${issuer}-something` });
      const url = guide.settingsUrl ?? guide.docsUrl;
      expect(url, issuer).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+\//);
      // An issuer-specific guide, not the generic fallback.
      expect(guide.steps[0], issuer).not.toMatch(/^Sign in to/);
      expect(guide.steps.length, issuer).toBeGreaterThanOrEqual(3);
    }
    expect(rotationGuideFor({ issuer: 'github', detectorId: 'github-classic-pat' }).settingsUrl).toBe(
      'https://github.com/settings/tokens',
    );
    expect(rotationGuideFor({ issuer: 'atlassian', detectorId: 'atlassian-api-token' }).settingsUrl).toBe(
      'https://id.atlassian.com/manage-profile/security/api-tokens',
    );
  });

  it('uses a detector\u2019s own guide where the issuer-wide one would send people to the wrong page', () => {
    const webhook = rotationGuideFor({ issuer: 'slack', detectorId: 'slack-incoming-webhook' });
    expect(webhook.steps[0]).toContain('Incoming Webhooks');
    const fineGrained = rotationGuideFor({ issuer: 'github', detectorId: 'github-fine-grained-pat' });
    expect(fineGrained.settingsUrl).toBe('https://github.com/settings/personal-access-tokens');
  });

  it('falls back to generic steps naming the issuer', () => {
    const guide = rotationGuideFor({ issuer: 'acme-cloud', detectorId: 'acme-cloud-key' });
    expect(guide).toMatchObject({ issuerName: 'Acme Cloud' });
    expect(guide.settingsUrl).toBeUndefined();
    expect(guide.steps[0]).toContain('Sign in to Acme Cloud');
    expect(guide.steps.at(-2)).toContain('Update every place');
    expect(guide.steps.at(-1)).toContain("Acme Cloud's logs");
  });

  it('has readable steps for every built-in detector', () => {
    for (const detector of detectors) {
      const guide = rotationGuideFor({ issuer: detector.issuer, detectorId: detector.id });
      expect(
        guide.steps.every((s) => s.length > 10 && !/undefined/.test(s)),
        detector.id,
      ).toBe(true);
    }
  });
});
