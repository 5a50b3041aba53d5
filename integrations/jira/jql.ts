/**
 * JQL pieces. Project keys are validated by the config (`[A-Z][A-Z0-9_]*`)
 * and dates are formatted here, so no user text is spliced into a query.
 */

/** `project in ("OPS","ENG") AND ` or nothing when every project is watched. */
export function projectClause(projects: readonly string[]): string {
  if (projects.length === 0) return '';
  return `project in (${projects.map((p) => `"${p}"`).join(',')}) AND `;
}

/**
 * A JQL date (`yyyy/MM/dd HH:mm`, minute resolution) for an instant, in the
 * time zone Jira reads the query in (the signed-in account's), so the window
 * is right whatever zone the service account has.
 */
export function jqlDate(at: Date, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone ?? 'UTC',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Issues changed at or after `since`, oldest first (the poller's query). */
export function updatedSinceJql(projects: readonly string[], since: Date, timeZone: string | undefined): string {
  return `${projectClause(projects)}updated >= "${jqlDate(since, timeZone)}" ORDER BY updated ASC, key ASC`;
}

/** One project's issues after `afterKey`, in key order (the backfill's query; resumable from the last key). */
export function backfillJql(
  project: string,
  afterKey: string | undefined,
  since: Date | undefined,
  timeZone: string | undefined,
): string {
  const clauses = [`project = "${project}"`];
  if (afterKey !== undefined) clauses.push(`key > "${afterKey}"`);
  if (since !== undefined) clauses.push(`updated >= "${jqlDate(since, timeZone)}"`);
  return `${clauses.join(' AND ')} ORDER BY key ASC`;
}
