import { z } from '@hono/zod-openapi';
import { LIVENESS } from '../core/verification.ts';
import { SEVERITIES } from '../core/severity.ts';
import type { FindingDetail } from '../db/findings-queries.ts';
import type { Finding, Identity, Occurrence } from '../db/schema.ts';
import { FINDING_STATUSES } from '../findings/lifecycle.ts';
import type { ApiContext } from './api-context.ts';
import { Timestamp, iso } from './openapi-router.ts';
import { scrubText } from './scrub-text.ts';

/**
 * The API's view of findings: redacted preview and keyed fingerprint, never
 * the secret (it is not stored, except sealed in the opt-in vault, which no
 * view reads).
 */

const Facts = z
  .record(z.string(), z.unknown())
  .nullable()
  .openapi({ description: 'What the issuer said (account, scopes, expiry…)' });

export const OccurrenceSchema = z
  .object({
    id: z.string(),
    platform: z.string(),
    workspace: z.string(),
    container: z.string(),
    item: z.string(),
    url: z.string().nullable(),
    firstSeenAt: Timestamp,
    lastSeenAt: Timestamp,
    closedAt: Timestamp.nullable(),
    closedReason: z.string().nullable(),
  })
  .openapi('Occurrence');

export const FindingSchema = z
  .object({
    id: z.string(),
    detector: z.string(),
    issuer: z.string(),
    severity: z.enum(SEVERITIES),
    confidence: z.number(),
    status: z.enum(FINDING_STATUSES),
    liveness: z.enum(LIVENESS),
    livenessReason: z.string().nullable(),
    verification: Facts,
    verifiedAt: Timestamp.nullable(),
    redacted: z.string().openapi({ example: 'ghp_********8B4a' }),
    fingerprint: z.string().openapi({ description: 'HMAC of the secret under the server key (for allowlisting)' }),
    remediation: z.string().nullable(),
    ownerIdentityId: z.string().nullable(),
    firstSeenAt: Timestamp,
    lastSeenAt: Timestamp,
    statusChangedAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
    escalatedAt: Timestamp.nullable(),
    occurrences: z.array(OccurrenceSchema),
  })
  .openapi('Finding');

export const IdentitySchema = z
  .object({
    id: z.string(),
    platform: z.string(),
    platformUserId: z.string(),
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    slackUserId: z.string().nullable(),
    active: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Identity');

export const FindingDetailSchema = FindingSchema.extend({
  owner: IdentitySchema.nullable(),
  vaulted: z.boolean().openapi({ description: 'The vault holds the secret (re-verify and revoke are possible)' }),
  verifications: z.array(
    z.object({ liveness: z.enum(LIVENESS), reason: z.string().nullable(), facts: Facts, checkedAt: Timestamp }),
  ),
  notifications: z.array(
    z.object({
      recipient: z.string(),
      kind: z.string(),
      status: z.string(),
      error: z.string().nullable(),
      sentAt: Timestamp.nullable(),
    }),
  ),
  revocation: z
    .object({
      requestedBy: z.string(),
      mode: z.string(),
      status: z.string(),
      outcome: z.string().nullable(),
      reason: z.string().nullable(),
      requestedAt: Timestamp,
      completedAt: Timestamp.nullable(),
    })
    .nullable(),
  redactions: z.array(
    z.object({
      occurrenceId: z.string(),
      platform: z.string(),
      status: z.string(),
      detail: z.string().nullable(),
      requestedBy: z.string(),
      updatedAt: Timestamp,
    }),
  ),
}).openapi('FindingDetail');

export type FindingView = z.infer<typeof FindingSchema>;
export type FindingDetailView = z.infer<typeof FindingDetailSchema>;

function facts(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
}

export function occurrenceView(o: Occurrence) {
  return {
    id: o.id,
    platform: o.platform,
    workspace: o.workspace,
    container: o.container,
    item: o.item,
    url: o.url,
    firstSeenAt: iso(o.first_seen_at),
    lastSeenAt: iso(o.last_seen_at),
    closedAt: iso(o.closed_at),
    closedReason: o.closed_reason,
  };
}

export function findingView(
  ctx: Pick<ApiContext, 'scanner'>,
  f: Finding,
  occurrences: readonly Occurrence[],
): FindingView {
  return {
    id: f.id,
    detector: f.detector_id,
    issuer: f.issuer,
    severity: f.severity as FindingView['severity'],
    confidence: f.confidence,
    status: f.status as FindingView['status'],
    liveness: f.liveness as FindingView['liveness'],
    livenessReason: scrubText(ctx, f.liveness_reason),
    verification: facts(f.verification_facts),
    verifiedAt: iso(f.verified_at),
    redacted: f.redacted,
    fingerprint: f.fingerprint,
    remediation: f.remediation,
    ownerIdentityId: f.owner_identity_id,
    firstSeenAt: iso(f.first_seen_at),
    lastSeenAt: iso(f.last_seen_at),
    statusChangedAt: iso(f.status_changed_at),
    resolvedAt: iso(f.resolved_at),
    escalatedAt: iso(f.escalated_at),
    occurrences: occurrences.map(occurrenceView),
  };
}

export function identityView(i: Identity): z.infer<typeof IdentitySchema> {
  return {
    id: i.id,
    platform: i.platform,
    platformUserId: i.platform_user_id,
    email: i.email,
    displayName: i.display_name,
    slackUserId: i.slack_user_id,
    active: i.active,
    createdAt: iso(i.created_at),
    updatedAt: iso(i.updated_at),
  };
}

export function findingDetailView(ctx: Pick<ApiContext, 'scanner'>, d: FindingDetail): FindingDetailView {
  return {
    ...findingView(ctx, d.finding, d.occurrences),
    owner: d.owner ? identityView(d.owner) : null,
    vaulted: d.vaulted,
    verifications: d.verifications.map((v) => ({
      liveness: v.liveness as FindingView['liveness'],
      reason: scrubText(ctx, v.reason),
      facts: facts(v.facts),
      checkedAt: iso(v.checked_at),
    })),
    notifications: d.notifications.map((n) => ({
      recipient: n.recipient,
      kind: n.kind,
      status: n.status,
      error: scrubText(ctx, n.error),
      sentAt: iso(n.sent_at),
    })),
    revocation: d.revocation
      ? {
          requestedBy: d.revocation.requested_by,
          mode: d.revocation.mode,
          status: d.revocation.status,
          outcome: d.revocation.outcome,
          reason: scrubText(ctx, d.revocation.reason),
          requestedAt: iso(d.revocation.requested_at),
          completedAt: iso(d.revocation.completed_at),
        }
      : null,
    redactions: d.redactions.map((r) => ({
      occurrenceId: r.occurrence_id,
      platform: r.platform,
      status: r.status,
      detail: scrubText(ctx, r.detail),
      requestedBy: r.requested_by,
      updatedAt: iso(r.updated_at),
    })),
  };
}
