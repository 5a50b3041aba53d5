/**
 * The `item` of a Jira document names what inside an issue the text came
 * from, so a finding can be redacted in place later:
 *
 *   `OPS-7`                      the summary (the title)
 *   `OPS-7#field-description`    a field (`environment`, `customfield_10010`, …)
 *   `OPS-7#comment-10001`        a comment
 *   `OPS-7#worklog-10100`        a worklog's comment
 *   `OPS-7#attachment-10200`     a text attachment
 */
export type JiraItem =
  | { key: string; kind: 'field'; fieldId: string }
  | { key: string; kind: 'comment'; id: string }
  | { key: string; kind: 'worklog'; id: string }
  | { key: string; kind: 'attachment'; id: string };

export function formatJiraItem(item: JiraItem): string {
  switch (item.kind) {
    case 'field':
      return item.fieldId === 'summary' ? item.key : `${item.key}#field-${item.fieldId}`;
    case 'comment':
      return `${item.key}#comment-${item.id}`;
    case 'worklog':
      return `${item.key}#worklog-${item.id}`;
    case 'attachment':
      return `${item.key}#attachment-${item.id}`;
  }
}

const ITEM = /^([A-Z][A-Z0-9_]*-\d+)(?:#(field|comment|worklog|attachment)-([A-Za-z0-9_.-]+))?$/;

/** The parts of an item string, or `undefined` when it is not one of ours. */
export function parseJiraItem(item: string): JiraItem | undefined {
  const m = ITEM.exec(item);
  if (!m) return undefined;
  const key = m[1]!;
  const kind = m[2];
  const rest = m[3];
  if (kind === undefined) return { key, kind: 'field', fieldId: 'summary' };
  if (kind === 'field') return { key, kind, fieldId: rest! };
  return { key, kind: kind as 'comment' | 'worklog' | 'attachment', id: rest! };
}
