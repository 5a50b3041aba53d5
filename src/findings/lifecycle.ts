/**
 * Finding lifecycle:
 *   open → notified → acknowledged → remediated (revoked | rotated) → resolved
 * plus `false_positive` and `allowlisted` (terminal), and `reopened` when a
 * resolved secret appears again (it then behaves like `open`).
 */
export const FINDING_STATUSES = [
  'open',
  'notified',
  'acknowledged',
  'remediated',
  'resolved',
  'false_positive',
  'allowlisted',
  'reopened',
] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

const TRANSITIONS: Record<FindingStatus, readonly FindingStatus[]> = {
  open: ['notified', 'acknowledged', 'remediated', 'resolved', 'false_positive', 'allowlisted'],
  reopened: ['notified', 'acknowledged', 'remediated', 'resolved', 'false_positive', 'allowlisted'],
  notified: ['acknowledged', 'remediated', 'resolved', 'false_positive', 'allowlisted'],
  acknowledged: ['remediated', 'resolved', 'false_positive', 'allowlisted'],
  remediated: ['resolved', 'acknowledged', 'false_positive', 'allowlisted'],
  resolved: ['reopened'],
  false_positive: [],
  allowlisted: [],
};

export function canTransition(from: string, to: FindingStatus): boolean {
  return (TRANSITIONS[from as FindingStatus] ?? []).includes(to);
}

/** Statuses in which a finding still needs someone to act. */
export const ACTIVE_STATUSES: readonly FindingStatus[] = ['open', 'reopened', 'notified', 'acknowledged', 'remediated'];
