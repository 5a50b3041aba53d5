import { Registry } from 'prom-client';
import { createApp } from '../src/api/app.ts';
import type { ApiContext } from '../src/api/api-context.ts';
import { createApiKey, type ApiScope } from '../src/db/api-keys-repository.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import type { Finding } from '../src/db/schema.ts';
import type { RevocationPolicy } from '../src/revocation/revocation-policy.ts';
import type { Service } from '../src/service.ts';
import { startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

export type KeyName = 'reader' | 'writer' | 'allowlister' | 'admin' | 'ingest';
const SCOPES: Record<KeyName, ApiScope[]> = {
  reader: ['findings:read'],
  writer: ['findings:read', 'findings:write'],
  allowlister: ['findings:read', 'allowlist:write'],
  admin: ['admin'],
  ingest: ['ingest'],
};

export interface ApiHarness {
  database: DatabaseHandle & { drop(): Promise<void> };
  service: Service;
  ctx: ApiContext;
  app: ReturnType<typeof createApp>;
  keys: Record<KeyName, string>;
  /** Another app on the same database and queue, with parts of the context replaced. */
  appWith(overrides: Partial<ApiContext>): ReturnType<typeof createApp>;
  /** A request as a client at `address` would make it (the socket address the brute-force limit keys on). */
  call(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; address?: string; app?: ReturnType<typeof createApp> },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export const MANUAL_POLICY: RevocationPolicy = { default: 'manual', dryRun: false, rules: [] };

/**
 * The API on a real test database with the pipeline's own queue, transit box,
 * vault, detectors and hook events — the context the service passes — and one
 * API key per role. Workers do not run: jobs stay queued for the test to inspect.
 */
export async function startApiHarness(overrides: Partial<ApiContext> = {}): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const { service } = await startTestService(database, testConfig(), { http: false, workers: false });
  const ctx: ApiContext = {
    db: database.db,
    boss: service.ctx.boss,
    transit: service.ctx.transit,
    logger: service.ctx.logger,
    metrics: new Registry(),
    maxDocumentBytes: 64 * 1024,
    ready: async () => true,
    now: () => new Date(),
    vault: service.ctx.vault,
    revocationPolicy: MANUAL_POLICY,
    detectors: service.ctx.detectors,
    events: service.ctx.events,
    scanner: service.ctx.scanner,
    authFailureLimit: { maxFailures: 1000, windowMs: 60_000 },
    ...overrides,
  };
  const app = createApp(ctx);
  const keys = {} as Record<KeyName, string>;
  for (const [name, scopes] of Object.entries(SCOPES) as [KeyName, ApiScope[]][]) {
    keys[name] = (await createApiKey(database.db, { name, scopes })).key;
  }
  return {
    database,
    service,
    ctx,
    app,
    keys,
    appWith: (more) => createApp({ ...ctx, ...more }),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.key) headers.authorization = `Bearer ${options.key}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return (options.app ?? app).request(
        path,
        {
          method: method.toUpperCase(),
          headers,
          ...(options.body !== undefined
            ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
            : {}),
        },
        { incoming: { socket: { remoteAddress: options.address ?? '192.0.2.1' } } },
      );
    },
    async stop() {
      await service.stop();
      await database.drop();
    },
  };
}

let counter = 0;

/** Inserts a finding (and its occurrences) directly, as the record worker would have. */
export async function seedFinding(
  db: DatabaseHandle['db'],
  input: Partial<{
    detector: string;
    issuer: string;
    severity: string;
    status: string;
    liveness: string;
    fingerprint: string;
    redacted: string;
    firstSeenAt: Date;
    ownerIdentityId: string | null;
    places: Array<{ platform: string; container: string; item?: string; url?: string; closed?: boolean }>;
  }> = {},
): Promise<Finding> {
  counter++;
  const at = input.firstSeenAt ?? new Date(Date.UTC(2026, 0, 1, 0, 0, counter));
  const finding = await db
    .insertInto('findings')
    .values({
      detector_id: input.detector ?? 'github-classic-pat',
      issuer: input.issuer ?? 'github',
      fingerprint: input.fingerprint ?? `fp-${counter}-${Math.random().toString(36).slice(2)}`,
      redacted: input.redacted ?? `ghp_********${String(counter).padStart(4, '0')}`,
      severity: input.severity ?? 'high',
      status: input.status ?? 'open',
      liveness: input.liveness ?? 'not_attempted',
      owner_identity_id: input.ownerIdentityId ?? null,
      first_seen_at: at,
      last_seen_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const [i, place] of (input.places ?? [{ platform: 'slack', container: 'C1' }]).entries()) {
    await db
      .insertInto('occurrences')
      .values({
        finding_id: finding.id,
        platform: place.platform,
        workspace: 'default',
        container: place.container,
        item: place.item ?? `item-${counter}-${i}`,
        url: place.url ?? null,
        span_start: 0,
        span_end: 10,
        first_seen_at: at,
        last_seen_at: at,
        ...(place.closed ? { closed_at: at, closed_reason: 'edited' } : {}),
      })
      .execute();
  }
  return finding;
}

/** Audit rows for a target, oldest first. */
export async function auditOf(db: DatabaseHandle['db'], targetId: string) {
  return db.selectFrom('audit_log').selectAll().where('target_id', '=', targetId).orderBy('id').execute();
}
