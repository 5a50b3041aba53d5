import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import type { CommandIo } from '../src/cli/command-io.ts';
import { parseDemoArgs } from '../src/cli/demo-command.ts';
import { openDatabase } from '../src/db/connection.ts';
import { PEOPLE, SLACK_CHANNELS, type DemoStandIns } from '../src/demo/demo-company.ts';
import type { PlantedLeak } from '../src/demo/demo-scenario.ts';
import { runDemo, type RunningDemo } from '../src/demo/run-demo.ts';
import { dumpDatabase } from './service-harness.ts';

/** Everything the stand-ins hold, as text: where a raw credential would show if redaction missed it. */
function standInState(standIns: DemoStandIns): string {
  const { slack, confluence, jira, graph, issuer } = standIns;
  return JSON.stringify({
    slack: slack.messages,
    confluence: [...confluence.pages.values()],
    jira: [...jira.issues.values()],
    teams: { messages: graph.messages, subscriptions: [...graph.subscriptions.values()] },
    issuer: issuer.checks,
  });
}

describe('leakwatch demo', () => {
  it('takes a leak on every stand-in from detection to liveness, DM, redaction and digest, printing no secret', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'lw-demo-')), '.leakwatch-demo');
    const args = parseDemoArgs(['--port', '0', '--exit-after', '30']);
    const printed: string[] = [];
    let demo: RunningDemo | undefined;
    let outcome: { planted: PlantedLeak[]; settled: boolean } | undefined;

    const code = await runDemo(
      {
        port: args.port,
        exitAfterSeconds: args.exitAfterSeconds!,
        dataDir,
        stepPauseSeconds: 0.2,
        print: (line) => printed.push(line),
      },
      (started) => {
        demo = started;
        void started.finished.then((result) => (outcome = result));
      },
    );

    expect(code).toBe(0);
    expect(outcome?.settled).toBe(true);
    const { standIns, credentials } = demo!;
    const planted = outcome!.planted;
    expect(planted.map((l) => l.platform).sort()).toEqual(['confluence', 'jira', 'slack', 'teams']);
    const secrets = Object.values(credentials);

    // leakwatch's own record (the database stays on disk after the demo stopped).
    const handle = await openDatabase({ databaseUrl: undefined, dataDir });
    try {
      for (const leak of planted) {
        const finding = await handle.db
          .selectFrom('findings')
          .innerJoin('occurrences', 'occurrences.finding_id', 'findings.id')
          .select(['findings.id', 'findings.liveness', 'findings.status', 'findings.detector_id'])
          .where('occurrences.platform', '=', leak.platform)
          .where('findings.detector_id', '=', leak.detectorId)
          .executeTakeFirst();
        expect(finding, `a ${leak.detectorId} finding on ${leak.platform}`).toBeDefined();
        expect(finding!.liveness, leak.platform).toBe(leak.expected);
        // A credential proven dead when found is resolved at once: nobody is asked to rotate it.
        expect(finding!.status, leak.platform).toBe(leak.expected === 'dead' ? 'resolved' : 'notified');
      }
      const redactions = await handle.db.selectFrom('redactions').select(['platform', 'status']).execute();
      expect(redactions.map((r) => `${r.platform}:${r.status}`).sort()).toEqual([
        'confluence:redacted',
        'jira:redacted',
        'slack:redacted',
        'teams:deleted',
      ]);
      const dump = await dumpDatabase(handle);
      for (const secret of secrets) expect(dump).not.toContain(secret);
    } finally {
      await handle.close();
    }

    // One DM per finding that needs its owner, as the stand-in Slack received it; none for the dead one.
    const { slack } = standIns;
    const dms = (person: { slack: string }) => slack.conversation(slack.dmChannelOf(person.slack));
    expect(dms(PEOPLE.alice)).toHaveLength(1);
    expect(dms(PEOPLE.bob)).toHaveLength(1);
    expect(dms(PEOPLE.dave)).toHaveLength(1);
    expect(dms(PEOPLE.carol)).toHaveLength(0);
    expect(dms(PEOPLE.alice)[0]!.text).toContain('Gitea access token');
    expect(dms(PEOPLE.bob)[0]!.text).toContain('HashiCorp Vault service token');
    expect(dms(PEOPLE.dave)[0]!.text).toContain('Grafana service account token');

    // The source is redacted on every stand-in.
    const aliceMessage = slack.conversation(SLACK_CHANNELS.deploys).find((m) => m.user === PEOPLE.alice.slack)!;
    expect(aliceMessage.edited).toBeDefined();
    expect(aliceMessage.text).toMatch(/GITEA_TOKEN=\*{8}[0-9a-f]{4}/);
    const comment = [...standIns.jira.issues.values()][0]!.comments[0]!;
    expect(comment.body).toMatch(/Bearer \*{8}/);
    const runbook = [...standIns.confluence.pages.values()][0]!;
    expect(runbook.versions.some((v) => v.body.includes('VAULT_TOKEN'))).toBe(false);
    const teamsMessage = standIns.graph.messages[0]!;
    expect(teamsMessage.deletedDateTime).not.toBeNull();
    // Liveness was asked of the stand-in issuers, which answered as the real services do.
    expect(standIns.issuer.checks.map((c) => `${c.service}:${c.outcome}`).sort()).toEqual([
      'gitea:live',
      'grafana:live',
      'vault:live',
    ]);
    const state = standInState(standIns);
    for (const secret of secrets) expect(state).not.toContain(secret);

    // The digest reached the security channel.
    const digest = slack.conversation(SLACK_CHANNELS.security).find((m) => m.text.startsWith('leakwatch daily digest'));
    expect(digest?.text).toContain('4 new findings (3 live)');

    // The feed told the whole story without printing a secret.
    const feed = printed.join('\n');
    for (const secret of secrets) expect(feed).not.toContain(secret);
    expect(printed.filter((l) => /^\d\d:\d\d:\d\d {2}detected/.test(l))).toHaveLength(4);
    expect(printed.filter((l) => /^\d\d:\d\d:\d\d {2}DM/.test(l))).toHaveLength(3);
    expect(printed.filter((l) => /^\d\d:\d\d:\d\d {2}redacted/.test(l))).toHaveLength(4);
    expect(feed).toMatch(/digest +posted to #security/);
    expect(feed).toContain(`${demo!.leakwatchUrl}/`);
    expect(printed.at(-1)).toContain('Stopped');

    const log = readFileSync(join(dataDir, 'leakwatch.log'), 'utf8');
    for (const secret of secrets) expect(log).not.toContain(secret);
  }, 150_000);

  it('explains itself, rejects bad flags, and never wipes a directory that is not its own', async () => {
    const out: string[] = [];
    const io: CommandIo = {
      stdout: (line) => out.push(line),
      stderr: (line) => out.push(line),
      readStdin: () => new Uint8Array(),
      env: {},
      version: 'test',
    };
    expect(await main(['demo', '--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('--exit-after SECONDS');
    expect(await main(['demo', '--port', 'eighty'], io)).toBe(2);
    expect(out.at(-1)).toContain('--port must be a port number');
    expect(await main(['demo', '--exit-after', '0'], io)).toBe(2);

    const foreign = mkdtempSync(join(tmpdir(), 'lw-not-demo-'));
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    await expect(runDemo({ port: 0, dataDir: foreign, exitAfterSeconds: 1, print: () => {} })).rejects.toThrow(
      /not a leakwatch demo directory/,
    );
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
