import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A timestamp with a database default that the application may also set. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;
/** PostgreSQL bigint comes back as a string (it can exceed 2^53). */
type BigIntColumn = ColumnType<string, number | string | bigint, number | string | bigint>;

export interface IdentitiesTable {
  id: Generated<string>;
  platform: string;
  platform_user_id: string;
  email: string | null;
  display_name: string | null;
  slack_user_id: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface FindingsTable {
  id: Generated<string>;
  detector_id: string;
  issuer: string;
  fingerprint: string;
  redacted: string;
  severity: string;
  confidence: Generated<number>;
  status: Generated<string>;
  liveness: Generated<string>;
  liveness_reason: string | null;
  verification_facts: Json | null;
  verified_at: Timestamp | null;
  owner_identity_id: string | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  status_changed_at: DefaultedTimestamp;
  /** `revoked` or `rotated` once the owner or leakwatch acted. */
  remediation: string | null;
  remediated_at: Timestamp | null;
  resolved_at: Timestamp | null;
  reverify_after: Timestamp | null;
  escalated_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface OccurrencesTable {
  id: Generated<string>;
  finding_id: string;
  platform: string;
  workspace: string;
  container: string;
  item: string;
  version: string | null;
  url: string | null;
  author_identity_id: string | null;
  span_start: number;
  span_end: number;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  closed_at: Timestamp | null;
  closed_reason: string | null;
}

export interface VerificationsTable {
  id: Generated<BigIntColumn>;
  finding_id: string;
  liveness: string;
  reason: string | null;
  facts: Json | null;
  checked_at: DefaultedTimestamp;
}

export interface AllowlistEntriesTable {
  id: Generated<string>;
  kind: string;
  fingerprint: string | null;
  detector_id: string | null;
  pattern: string | null;
  platform: string | null;
  container: string | null;
  item: string | null;
  reason: string;
  created_by: string;
  expires_at: Timestamp | null;
  hits: Generated<BigIntColumn>;
  last_hit_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<BigIntColumn>;
  at: DefaultedTimestamp;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Json | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string[];
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ConnectorCursorsTable {
  connector: string;
  cursor: string | null;
  last_polled_at: Timestamp | null;
  last_error: string | null;
  updated_at: DefaultedTimestamp;
}

export interface HookDeliveriesTable {
  id: Generated<string>;
  hook: string;
  event: string;
  event_id: string;
  finding_id: string | null;
  status: Generated<string>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<string>;
  finding_id: string;
  recipient: string;
  kind: string;
  status: Generated<string>;
  external_id: string | null;
  error: string | null;
  sent_at: Timestamp | null;
  /** The pg-boss job sending it while `sending` (see `handleNotifyBatch`). */
  claimed_by: string | null;
  created_at: CreatedAt;
}

export interface RevocationsTable {
  finding_id: string;
  requested_by: string;
  mode: string;
  status: Generated<string>;
  outcome: string | null;
  reason: string | null;
  requested_at: DefaultedTimestamp;
  completed_at: Timestamp | null;
}

export interface SecretVaultTable {
  finding_id: string;
  sealed: string;
  created_at: CreatedAt;
}

export interface InboundEventsTable {
  platform: string;
  /** Slack `event_id`, Graph notification id, Jira webhook identifier… */
  event_id: string;
  received_at: CreatedAt;
}

export interface BackfillRunsTable {
  id: Generated<string>;
  platform: string;
  /** What is being backfilled (channels, projects, since…). */
  scope: Json;
  /** `running`, `paused` (rate limited, rescheduled), `done`, `failed`. */
  status: Generated<string>;
  /** Where to resume (per-container cursors), integration-defined. */
  state: Json | null;
  items_done: Generated<number>;
  documents: Generated<number>;
  error: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  finished_at: Timestamp | null;
}

export interface RedactionsTable {
  id: Generated<string>;
  finding_id: string;
  occurrence_id: string;
  platform: string;
  /** A `RedactionOutcome` status, or `pending` while in progress. */
  status: string;
  detail: string | null;
  requested_by: string;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface Database {
  identities: IdentitiesTable;
  findings: FindingsTable;
  occurrences: OccurrencesTable;
  verifications: VerificationsTable;
  allowlist_entries: AllowlistEntriesTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  connector_cursors: ConnectorCursorsTable;
  hook_deliveries: HookDeliveriesTable;
  notifications: NotificationsTable;
  revocations: RevocationsTable;
  secret_vault: SecretVaultTable;
  inbound_events: InboundEventsTable;
  backfill_runs: BackfillRunsTable;
  redactions: RedactionsTable;
}

export type Finding = Selectable<FindingsTable>;
export type NewFinding = Insertable<FindingsTable>;
export type FindingUpdate = Updateable<FindingsTable>;
export type Occurrence = Selectable<OccurrencesTable>;
export type AllowlistEntry = Selectable<AllowlistEntriesTable>;
export type Identity = Selectable<IdentitiesTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type HookDelivery = Selectable<HookDeliveriesTable>;
export type BackfillRun = Selectable<BackfillRunsTable>;
export type Redaction = Selectable<RedactionsTable>;
