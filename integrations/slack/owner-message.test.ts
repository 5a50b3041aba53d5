import { describe, expect, it } from 'vitest';
import type { Finding, Occurrence } from '../../src/db/schema.ts';
import { code, escapeText, link } from './block-kit.ts';
import { ACTIONS_BLOCK_ID, OWNER_ACTIONS, renderOwnerMessage, renderResolvedMessage } from './owner-message.ts';

const finding: Finding = {
  id: '0b7d2a4e-4a4c-4d0e-9a51-6f1f2f0b9c11',
  detector_id: 'github-classic-pat',
  issuer: 'github',
  fingerprint: 'f'.repeat(64),
  redacted: 'ghp_********4Bx<',
  severity: 'critical',
  confidence: 1,
  status: 'open',
  liveness: 'live',
  liveness_reason: null,
  verification_facts: {
    account: 'octo<cat>',
    scopes: Array.from({ length: 20 }, (_, i) => `scope${i}`),
    expiresAt: '2031-01-01T00:00:00Z',
    privileged: true,
  },
  verified_at: new Date(),
  owner_identity_id: null,
  first_seen_at: new Date('2030-12-01T10:00:00Z'),
  last_seen_at: new Date('2030-12-01T10:00:00Z'),
  status_changed_at: new Date(),
  remediation: null,
  remediated_at: null,
  resolved_at: null,
  reverify_after: null,
  escalated_at: null,
  created_at: new Date(),
  updated_at: new Date(),
};

function occurrence(over: Partial<Occurrence>): Occurrence {
  return {
    id: 'o1',
    finding_id: finding.id,
    platform: 'slack',
    workspace: 'T0ACME',
    container: 'C0DEPLOYS',
    item: '1764000000.000100',
    version: null,
    url: 'https://acme.slack.com/archives/C0DEPLOYS/p1764000000000100',
    author_identity_id: null,
    span_start: 0,
    span_end: 10,
    first_seen_at: new Date(),
    last_seen_at: new Date(),
    closed_at: null,
    closed_reason: null,
    ...over,
  };
}

describe('owner message', () => {
  it('escapes everything it did not write, so a name or URL cannot inject links or mentions', () => {
    expect(escapeText('<!channel> & <https://evil|x>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil|x&gt;');
    expect(link('javascript:alert(1)', 'open')).toBe('open');
    expect(link('https://wiki.test/a|b>c', 'x|y')).toBe('<https://wiki.test/a%7Cb%3Ec|x¦y>');
    expect(code('a`b<c')).toBe("`a'b&lt;c`");

    const message = renderOwnerMessage({
      finding,
      occurrences: [
        occurrence({}),
        occurrence({
          platform: 'jira',
          container: '<!here>',
          item: 'OPS-1',
          url: 'https://acme.atlassian.net/browse/OPS-1',
        }),
        occurrence({ container: 'D0DM', url: null, closed_at: new Date() }),
      ],
      detectorName: 'GitHub <classic> token',
      canRevoke: false,
      audience: { kind: 'owner' },
    });
    const text = JSON.stringify(message.blocks);
    expect(text).not.toContain('<!here>');
    expect(text).toContain('jira: &lt;!here&gt; / OPS-1');
    expect(text).toContain('message in a direct message _(no longer there)_');
    expect(text).toContain('`octo&lt;cat&gt;`');
    expect(text).toContain('GitHub &lt;classic&gt; token');
    expect(text).toContain('and 5 more'); // scopes beyond the first 15
    expect(text).toContain('Privileged');
    expect(message.text).toContain('ghp_********4Bx&lt;');
  });

  it('carries only the finding id in its buttons, and offers revocation only when allowed', () => {
    const render = (canRevoke: boolean) =>
      renderOwnerMessage({ finding, occurrences: [], detectorName: 'x', canRevoke, audience: { kind: 'owner' } });
    const actions = (canRevoke: boolean) =>
      render(canRevoke).blocks.find((b) => b.block_id === ACTIONS_BLOCK_ID) as unknown as {
        elements: Array<{ action_id: string; value: string }>;
      };
    expect(actions(true).elements.map((e) => e.action_id)).toEqual(Object.values(OWNER_ACTIONS));
    expect(actions(false).elements.map((e) => e.action_id)).toEqual([OWNER_ACTIONS.rotated, OWNER_ACTIONS.notSecret]);
    expect(new Set(actions(true).elements.map((e) => e.value))).toEqual(new Set([finding.id]));
  });

  it('keeps every section within Block Kit limits', () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      occurrence({
        id: `o${i}`,
        item: `17640000${i}.000100`,
        url: `https://acme.slack.com/archives/C0DEPLOYS/p${'9'.repeat(200)}${i}`,
      }),
    );
    const message = renderOwnerMessage({
      finding,
      occurrences: many,
      detectorName: 'x'.repeat(500),
      canRevoke: true,
      audience: { kind: 'security', headline: 'h'.repeat(400), why: 'because' },
    });
    for (const block of message.blocks as Array<{ type: string; text?: { text: string } }>) {
      if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(150);
      if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(message.blocks)).toContain('…and 35 more places');
  });

  it('words a resolved notice by what proves it: the issuer\u2019s check, or the security team closing it by hand', () => {
    const resolvedAt = new Date('2030-12-02T09:00:00Z');
    const text = (over: Partial<Finding>) =>
      JSON.stringify(
        renderResolvedMessage({
          finding: { ...finding, status: 'resolved', resolved_at: resolvedAt, ...over },
          occurrences: [occurrence({})],
          detectorName: 'GitHub token',
        }).blocks,
      );
    expect(text({ liveness: 'dead', remediation: 'revoked' })).toContain(
      'leakwatch revoked it, and the issuer confirmed it no longer works',
    );
    expect(text({ liveness: 'dead', remediation: 'rotated' })).toContain('it was rotated, and the issuer confirmed');
    expect(text({ liveness: 'dead', remediation: null })).toContain('the issuer confirmed it no longer works');
    const byHand = text({ liveness: 'live', remediation: null });
    expect(byHand).toContain('by the security team');
    expect(byHand).not.toContain('confirmed');
    for (const over of [{ liveness: 'dead' }, { liveness: 'live' }] as const) {
      expect(text(over)).not.toContain(ACTIONS_BLOCK_ID);
      expect(text(over)).toContain(code(finding.redacted));
    }
  });
});
