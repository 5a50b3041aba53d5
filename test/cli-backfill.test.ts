import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import type { CommandIo } from '../src/cli/command-io.ts';
import { useMswServer } from './msw-server.ts';

const server = useMswServer();
const GITHUB_TOKEN = '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';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const commandIo: CommandIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readStdin: () => new Uint8Array(),
    env: {
      LEAKWATCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'lw-backfill-')),
      LEAKWATCH_LOG_LEVEL: 'silent',
      LEAKWATCH_VERIFY: 'false',
      LEAKWATCH_POLL_INTERVAL_SECONDS: '0.5',
      ...env,
    },
    version: 'test',
  };
  return { commandIo, out, err };
}

/** Answers one Slack Web API method (form-encoded POST) with a JSON body. */
const slack = (method: string, body: (params: URLSearchParams) => object) =>
  http.post(`https://slack.com/api/${method}`, async ({ request }) =>
    HttpResponse.json(body(new URLSearchParams(await request.text()))),
  );

describe('leakwatch backfill', () => {
  it('reads a Slack channel history through the pipeline and reports progress until done', async () => {
    server.use(
      slack('auth.test', () => ({
        ok: true,
        url: 'https://acme.slack.com/',
        team: 'Acme',
        user: 'leakwatch',
        team_id: 'T0ACME0001',
        user_id: 'U0LEAKBOT1',
        bot_id: 'B0LEAKBOT1',
      })),
      slack('conversations.list', () => ({
        ok: true,
        channels: [{ id: 'C0DEPLOY01', name: 'deploys', is_channel: true, is_member: true, is_archived: false }],
        response_metadata: { next_cursor: '' },
      })),
      slack('conversations.history', () => ({
        ok: true,
        has_more: false,
        messages: [
          { type: 'message', user: 'U0ALICE001', ts: '1764100000.000100', text: `release with ${GITHUB_TOKEN}` },
          { type: 'message', user: 'U0BOB00001', ts: '1764100001.000100', text: 'thanks, shipped' },
        ],
        response_metadata: { next_cursor: '' },
      })),
      slack('conversations.replies', () => ({ ok: true, has_more: false, messages: [] })),
      // Owner notices go out as Slack DMs once the backfilled finding is recorded.
      slack('users.info', (p) => ({ ok: true, user: { id: p.get('user'), deleted: false, profile: {} } })),
      slack('conversations.open', () => ({ ok: true, channel: { id: 'D0ALICE001' } })),
      slack('chat.postMessage', () => ({ ok: true, channel: 'D0ALICE001', ts: '1764100002.000100' })),
      slack('chat.getPermalink', () => ({ ok: true, permalink: 'https://acme.slack.com/archives/C0DEPLOY01/p1' })),
    );
    const { commandIo, out, err } = io({
      SLACK_BOT_TOKEN: 'xoxb-1111111111-2222222222-backfilltestbotkey01',
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99eeeeee85a5',
      SLACK_AUTO_REDACT: 'false',
    });
    const code = await main(['backfill', 'slack', '--channels', 'deploys'], commandIo);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^started slack backfill [0-9a-f-]{36}$/);
    expect(out.at(-1)).toBe('done; 1 occurrences of leaked credentials on slack are recorded');
    expect(out.join('\n')).not.toContain(GITHUB_TOKEN);
  }, 120_000);

  it('refuses a platform that is not configured, and a bad --since, with exit 2', async () => {
    const first = io({});
    expect(await main(['backfill', 'jira'], first.commandIo)).toBe(2);
    expect(first.err.join('\n')).toMatch(/jira is not configured/);
    const second = io({});
    expect(await main(['backfill', 'slack', '--since', 'yesterday'], second.commandIo)).toBe(2);
    expect(second.err.join('\n')).toMatch(/--since must be an ISO-8601/);
  }, 120_000);
});
