/** Who wrote a document, as the platform knows them. */
export interface DocumentAuthor {
  /** Platform user id (Slack `U…`, Atlassian accountId, Graph user id). */
  id?: string;
  email?: string;
  name?: string;
}

/**
 * Where a text came from. Produced by integrations (or the ingest API); the
 * text itself is never persisted, only this reference and what was found in it.
 */
export interface DocumentRef {
  /** `slack`, `teams`, `jira`, `confluence`, or any name an ingest client uses. */
  platform: string;
  /** Slack team, Atlassian site, Microsoft tenant… */
  workspace: string;
  /** Channel, project, space, chat… */
  container: string;
  /** Message ts, issue key + comment id, page id… */
  item: string;
  version?: string;
  url?: string;
  author?: DocumentAuthor;
  /** ISO-8601 time the text was written or last edited. */
  occurredAt?: string;
}
