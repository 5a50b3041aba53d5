import type { Executor } from './executor.ts';

export interface AuditEntry {
  /** `system`, `api-key:<name>`, `slack:<user>`… */
  actor: string;
  /** Verb in dotted form: `finding.created`, `finding.status_changed`, `allowlist.created`… */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Small, secret-free details (redacted previews only). */
  details?: Record<string, unknown>;
}

/** Appends an audit row; call it inside the same transaction as the change it records. */
export async function writeAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute();
}
