import type { Kysely } from 'kysely';
import { parseMessageRef } from '../../integrations/slack/slack-notifier.ts';
import type { Detector } from '../core/detector.ts';
import type { Database } from '../db/schema.ts';
import type { Scanner } from '../detection/scanner.ts';
import { redactSpans } from '../detection/redact.ts';
import type { DemoStandIns } from './demo-company.ts';
import type { DeliveryFailure } from './delivery-failure.ts';
import type { PlantedLeak } from './demo-scenario.ts';
import type { SourceChange } from './source-change.ts';

const INDENT = ' '.repeat(22);
const MAX_TEXT = 320;

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

function cut(text: string, max = MAX_TEXT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Storage XHTML / Teams HTML as a line of text, for reading in a terminal. */
function markupToText(markup: string): string {
  return markup
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, ' $1 ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface DemoFeedDeps {
  db: Kysely<Database>;
  standIns: DemoStandIns;
  detectors: ReadonlyMap<string, Detector>;
  /** Finds secrets in printed text; every line of the feed is passed through it. */
  scanner: Scanner;
  print(line: string): void;
  /** How often the database is looked at. */
  intervalMs?: number;
}

/**
 * The demo's live feed: what happens to each leak, in the order it happens —
 * detected, verified live or dead, the owner's DM (its text as the stand-in
 * Slack received it), the source redacted (before and after, as the stand-in
 * saw the edit), the digest. Pipeline steps are read from leakwatch's
 * database; what platforms received is read from the stand-ins. Every line is
 * scanned and any credential in it replaced by its redacted form before it is
 * printed, so the feed itself never shows a secret.
 */
export class DemoFeed {
  readonly #deps: DemoFeedDeps;
  readonly #leaks = new Map<string, PlantedLeak>();
  readonly #findings = new Map<string, { liveness: string | null; status: string }>();
  readonly #notifications = new Set<string>();
  readonly #redactions = new Set<string>();
  readonly #revocations = new Set<string>();
  /** Source changes already rendered (secrets hidden), waiting to be printed. */
  readonly #pendingChanges: string[][] = [];
  readonly #digests = new Set<string>();
  readonly #failuresSeen = new Map<DeliveryFailure[], number>();
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;

  constructor(deps: DemoFeedDeps) {
    this.#deps = deps;
  }

  /** Labels findings on a platform with the planted leak's place and author. */
  expect(leaks: readonly PlantedLeak[]): void {
    for (const leak of leaks) this.#leaks.set(leak.platform, leak);
  }

  start(): void {
    const tick = () => {
      this.#polling = this.poll()
        .catch((error: unknown) =>
          this.#line('error', `the feed could not read the database: ${(error as Error).message}`),
        )
        .finally(() => {
          if (this.#timer !== undefined) this.#timer = setTimeout(tick, this.#deps.intervalMs ?? 300);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Stops polling (after a last look, so nothing that already happened goes unprinted), then stays quiet. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#polling;
    await this.poll().catch(() => {});
    this.#stopped = true;
  }

  /** Narration from the scenario. */
  say(text: string): void {
    this.#line('→', text);
  }

  /**
   * A stand-in saw its content change. The secret is hidden at once (nothing
   * raw is held), and the lines wait for the next look at the database, so
   * the change prints after the detection that led to it.
   */
  sourceChanged(change: SourceChange): void {
    const platform =
      change.platform === 'teams' ? 'Teams' : change.platform[0]!.toUpperCase() + change.platform.slice(1);
    const what = { edited: 'edited', deleted: 'deleted', version_deleted: 'deleted an old version' }[change.kind];
    // Secrets are replaced before anything is cut: a cut through a secret would hide it from the scanner.
    const before = cut(this.#hideSecrets(markupToText(change.before)));
    const after = change.after ? cut(this.#scrub(markupToText(change.after))) : '(gone)';
    this.#pendingChanges.push([
      this.#format('source', `${platform} ${change.place}: ${change.by} ${what}`),
      `${INDENT}before: ${before}`,
      `${INDENT}after:  ${after}`,
    ]);
  }

  async poll(): Promise<void> {
    await this.#pollFindings();
    for (const lines of this.#pendingChanges.splice(0)) for (const line of lines) this.#print(line);
    await this.#pollNotifications();
    await this.#pollRedactions();
    await this.#pollRevocations();
    await this.#pollDigests();
    this.#pollDeliveryFailures();
  }

  // ------------------------------------------------------------ output

  /** `text` with every credential the detectors find replaced by its redacted form. */
  #scrub(text: string): string {
    const matches = this.#deps.scanner.scan(text);
    if (matches.length === 0) return text;
    const spans = matches.flatMap((m) => [m, ...m.parts]);
    const redacted = new Map(
      matches.flatMap((m) => [m, ...m.parts].map((x) => [x.secret.reveal(), x.secret.redacted])),
    );
    return redactSpans(text, spans, (raw) => redacted.get(raw) ?? '[redacted]');
  }

  /** Text from outside the feed (a platform message), scrubbed and then shortened for a terminal. */
  #quote(text: string): string {
    return `"${cut(this.#scrub(text))}"`;
  }

  /** Scrubs and prints one line (belt and braces: what reaches `print` has been scanned). */
  #print(text: string): void {
    if (this.#stopped) return;
    this.#deps.print(this.#scrub(text));
  }

  #format(tag: string, text: string): string {
    return `${clock()}  ${tag.padEnd(10)}  ${text}`;
  }

  #line(tag: string, text: string): void {
    this.#print(this.#format(tag, text));
  }

  #detail(text: string): void {
    this.#print(`${INDENT}${text}`);
  }

  /** The "before" of an edit: each credential shown as a block, so before and after differ visibly. */
  #hideSecrets(text: string): string {
    const matches = this.#deps.scanner.scan(text);
    if (matches.length === 0) return text;
    const spans = matches.flatMap((m) => [m, ...m.parts]);
    return redactSpans(text, spans, () => '█████ (the full secret; not printed here)');
  }

  // ------------------------------------------------------------ pipeline state

  #label(platform: string, container: string, item: string): { where: string; author?: string } {
    const leak = this.#leaks.get(platform);
    return leak ? { where: leak.where, author: leak.author } : { where: `${platform} ${container} ${item}` };
  }

  async #pollFindings(): Promise<void> {
    const rows = await this.#deps.db
      .selectFrom('findings')
      .select([
        'findings.id',
        'findings.detector_id',
        'findings.redacted',
        'findings.severity',
        'findings.status',
        'findings.liveness',
        'findings.liveness_reason',
        'findings.verification_facts',
        'findings.verified_at',
        (eb) =>
          eb
            .selectFrom('occurrences')
            .select((o) => o.fn.min('occurrences.platform').as('p'))
            .whereRef('occurrences.finding_id', '=', 'findings.id')
            .as('platform'),
        (eb) =>
          eb
            .selectFrom('occurrences')
            .select((o) => o.fn.min('occurrences.container').as('c'))
            .whereRef('occurrences.finding_id', '=', 'findings.id')
            .as('container'),
        (eb) =>
          eb
            .selectFrom('occurrences')
            .select((o) => o.fn.min('occurrences.item').as('i'))
            .whereRef('occurrences.finding_id', '=', 'findings.id')
            .as('item'),
      ])
      .orderBy('findings.created_at')
      .execute();
    for (const f of rows) {
      const label = this.#label(f.platform ?? '?', f.container ?? '', f.item ?? '');
      const name = this.#deps.detectors.get(f.detector_id)?.name ?? f.detector_id;
      let known = this.#findings.get(f.id);
      if (!known) {
        this.#line('detected', `${label.where}${label.author ? ` · posted by ${label.author}` : ''}`);
        this.#detail(`${name} ${f.redacted} · severity ${f.severity} · finding ${f.id.slice(0, 8)}`);
        // Compared with 'open', so a finding resolved before the feed first saw it is still reported.
        known = { liveness: null, status: 'open' };
        this.#findings.set(f.id, known);
      }
      if (f.verified_at !== null && known.liveness !== f.liveness) {
        known.liveness = f.liveness;
        this.#printLiveness(label.where, f);
      }
      if (known.status !== f.status) {
        // Straight from open: proven dead before anyone was told, so nobody needs to be.
        const beforeNotice = known.status === 'open';
        known.status = f.status;
        if (f.status === 'resolved') {
          this.#line(
            'resolved',
            `${label.where}: it no longer works, so the finding is resolved${beforeNotice ? ' (no DM needed)' : ''}`,
          );
        }
      }
    }
  }

  #printLiveness(
    where: string,
    f: { liveness: string; liveness_reason: string | null; verification_facts: unknown },
  ): void {
    const facts = (
      typeof f.verification_facts === 'string' ? JSON.parse(f.verification_facts) : f.verification_facts
    ) as {
      account?: string;
      scopes?: string[];
    } | null;
    const account = facts?.account
      ? ` (acts as ${facts.account}${facts.scopes?.length ? `, can ${facts.scopes.join(', ')}` : ''})`
      : '';
    switch (f.liveness) {
      case 'live':
        this.#line('LIVE', `${where}: the issuer accepted it — it works right now${account}`);
        break;
      case 'dead':
        this.#line('dead', `${where}: the issuer refused it — already revoked or rotated`);
        break;
      case 'unknown':
        this.#line('unknown', `${where}: could not tell (${f.liveness_reason ?? 'no answer'}); treated as live`);
        break;
      default:
        this.#line('unchecked', `${where}: not checked (${f.liveness_reason ?? 'no safe check'}); treated as live`);
    }
  }

  #slackName(text: string): string {
    const { slack } = this.#deps.standIns;
    return text
      .replace(/<@(U[A-Z0-9]+)>/g, (_m, id: string) => `@${slack.users.get(id)?.name ?? id}`)
      .replace(/<#(C[A-Z0-9]+)(\|[^>]*)?>/g, (_m, id: string) => `#${slack.channels.get(id)?.name ?? id}`)
      .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }

  /** A message as the stand-in Slack holds it (`<channel>/<ts>`), or undefined. */
  #slackMessage(externalId: string | null) {
    const where = externalId ? parseMessageRef(externalId) : undefined;
    return where ? this.#deps.standIns.slack.find(where.channel, where.ts) : undefined;
  }

  async #pollNotifications(): Promise<void> {
    const rows = await this.#deps.db
      .selectFrom('notifications')
      .select(['id', 'finding_id', 'recipient', 'kind', 'status', 'external_id', 'error'])
      .where('status', 'in', ['sent', 'failed', 'uncertain'])
      .orderBy('created_at')
      .execute();
    const { slack } = this.#deps.standIns;
    for (const n of rows) {
      if (this.#notifications.has(n.id)) continue;
      this.#notifications.add(n.id);
      if (n.status !== 'sent') {
        this.#line('not sent', `${n.kind} notice for finding ${n.finding_id.slice(0, 8)}: ${n.error ?? n.status}`);
        continue;
      }
      const message = this.#slackMessage(n.external_id);
      const channel = message?.channel ?? '';
      const to = channel.startsWith('D')
        ? `@${[...slack.users.values()].find((u) => slack.dmChannelOf(u.id) === channel)?.name ?? channel}`
        : `#${slack.channels.get(channel)?.name ?? channel}`;
      const tag = n.kind === 'owner' ? (channel.startsWith('D') ? 'DM' : 'no owner') : 'alert';
      const what = n.kind === 'owner' ? `Slack DM to ${to}` : `Slack alert in ${to}`;
      this.#line(tag, `${what}, as the stand-in Slack received it:`);
      this.#detail(this.#quote(this.#slackName(message?.text ?? '(message not found in the stand-in)')));
    }
  }

  async #pollRedactions(): Promise<void> {
    const rows = await this.#deps.db
      .selectFrom('redactions')
      .innerJoin('occurrences', 'occurrences.id', 'redactions.occurrence_id')
      .select([
        'redactions.id',
        'redactions.status',
        'redactions.detail',
        'occurrences.platform',
        'occurrences.container',
        'occurrences.item',
      ])
      .where('redactions.status', '!=', 'pending')
      .orderBy('redactions.created_at')
      .execute();
    for (const r of rows) {
      if (this.#redactions.has(`${r.id}:${r.status}`)) continue;
      this.#redactions.add(`${r.id}:${r.status}`);
      const { where } = this.#label(r.platform, r.container, r.item);
      this.#line(
        r.status === 'failed' ? 'failed' : 'redacted',
        `${where}: ${r.status}${r.detail ? ` — ${r.detail}` : ''}`,
      );
    }
  }

  /** Events and webhooks a stand-in could not get leakwatch to accept: worth seeing when something looks stuck. */
  #pollDeliveryFailures(): void {
    const { slack, confluence, jira, graph } = this.#deps.standIns;
    for (const failures of [
      slack.deliveryFailures,
      confluence.deliveryFailures,
      jira.deliveryFailures,
      graph.deliveryFailures,
    ]) {
      const seen = this.#failuresSeen.get(failures) ?? 0;
      for (const f of failures.slice(seen)) {
        const answer = f.status === 'unreachable' ? 'no answer' : `HTTP ${f.status}`;
        this.#line('dropped', `${f.platform} gave up delivering ${f.what} to leakwatch (${answer})`);
      }
      this.#failuresSeen.set(failures, failures.length);
    }
  }

  /** Revocations someone asked for (the dashboard's "revoke"), once the issuer answered. */
  async #pollRevocations(): Promise<void> {
    const rows = await this.#deps.db
      .selectFrom('revocations')
      .innerJoin('occurrences', 'occurrences.finding_id', 'revocations.finding_id')
      .select([
        'revocations.finding_id',
        'revocations.outcome',
        'revocations.reason',
        'revocations.requested_by',
        'occurrences.platform',
        'occurrences.container',
        'occurrences.item',
      ])
      .where('revocations.completed_at', 'is not', null)
      .execute();
    for (const r of rows) {
      if (this.#revocations.has(r.finding_id)) continue;
      this.#revocations.add(r.finding_id);
      const { where } = this.#label(r.platform, r.container, r.item);
      const reason = r.reason ? ` — ${r.reason}` : '';
      this.#line('revoke', `${where}: ${r.outcome ?? 'done'} at the issuer (asked by ${r.requested_by})${reason}`);
    }
  }

  async #pollDigests(): Promise<void> {
    const rows = await this.#deps.db
      .selectFrom('audit_log')
      .select(['id', 'details'])
      .where('action', '=', 'digest.posted')
      .orderBy('id')
      .execute();
    for (const row of rows) {
      if (this.#digests.has(String(row.id))) continue;
      this.#digests.add(String(row.id));
      const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as {
        externalId?: string;
      } | null;
      const message = this.#slackMessage(details?.externalId ?? null);
      this.#line('digest', `posted to #security, as the stand-in Slack received it:`);
      this.#detail(this.#quote(this.#slackName(message?.text ?? '(message not found in the stand-in)')));
    }
  }
}
