import type { DocumentAuthor } from '../../src/core/document.ts';
import type { ConfluenceDeployment } from './confluence-config.ts';

/** What a piece of Confluence content is; it decides the endpoints that read and write it. */
export type ContentKind = 'page' | 'blogpost' | 'comment';

export interface ContentRef {
  kind: ContentKind;
  id: string;
  /** Cloud keeps footer and inline comments behind different endpoints; a hint saves a lookup. */
  commentLocation?: 'footer' | 'inline';
}

/** One version of a page, blog post or comment, with its storage-format (XHTML) body. */
export interface ContentVersion {
  ref: ContentRef;
  title: string;
  /** Key of the space it lives in. */
  spaceKey: string;
  version: number;
  /** Storage format XHTML. */
  body: string;
  author?: DocumentAuthor;
  /** ISO-8601 time this version was written. */
  createdAt?: string;
  /** Absolute web link to the content (the current version). */
  url?: string;
  /** For a comment: the page or blog post it belongs to. */
  container?: ContentRef;
}

/** A search hit: content changed since the cursor. */
export interface ChangedContent {
  ref: ContentRef;
  version: number;
  /** ISO-8601 time of the last modification. */
  lastModified: string;
}

/** One page of a paged listing; `next` is an opaque link to continue from. */
export interface ResultPage<T> {
  items: T[];
  next?: string;
}

export interface ConfluenceUser {
  email?: string;
  displayName?: string;
  active?: boolean;
}

/** Thrown when a write names a version that is no longer current (HTTP 409): re-read and try again. */
export class VersionConflictError extends Error {
  constructor(ref: ContentRef, version: number) {
    super(`${ref.kind} ${ref.id}: version ${version} was taken by another edit`);
    this.name = 'VersionConflictError';
  }
}

/**
 * Confluence as leakwatch needs it, the same on Cloud (REST v2 plus v1 for
 * CQL search, users and version deletion) and on Data Center (REST v1).
 * Every call goes through `ConfluenceHttp` (deadline, pacing, 429 handling).
 */
export interface ConfluenceApi {
  readonly deployment: ConfluenceDeployment;
  /** Site host name, the `workspace` of documents. */
  readonly host: string;
  /** Content modified at or after `since` (CQL `lastmodified`, minute resolution), oldest first. */
  searchModifiedSince(since: Date, spaces: readonly string[], next?: string): Promise<ResultPage<ChangedContent>>;
  /** Every space key the credentials can read. */
  listSpaceKeys(): Promise<string[]>;
  /** Pages or blog posts of a space, current versions with bodies. */
  listSpaceContent(spaceKey: string, kind: 'page' | 'blogpost', next?: string): Promise<ResultPage<ContentVersion>>;
  /** All comments (footer, inline, replies) of a page or blog post, current versions with bodies. */
  listComments(container: ContentVersion): Promise<ContentVersion[]>;
  /** The current version, or undefined when the content is gone. */
  getContent(ref: ContentRef): Promise<ContentVersion | undefined>;
  /** A historical version of `current`'s content, or undefined when it does not exist (any more). */
  getVersion(current: ContentVersion, version: number): Promise<ContentVersion | undefined>;
  /** Numbers of the versions before `current`, newest first. */
  historicalVersions(current: ContentVersion): Promise<number[]>;
  /** Writes `body` as version `current.version + 1`; throws `VersionConflictError` when that number is taken. */
  updateBody(current: ContentVersion, body: string, message: string): Promise<number>;
  /** Deletes a historical version (Confluence renumbers the later ones). */
  deleteVersion(ref: ContentRef, version: number): Promise<void>;
  /** A user by Cloud accountId or Data Center userKey. */
  getUser(id: string): Promise<ConfluenceUser | undefined>;
}

/** CQL's `lastmodified` literal: "yyyy/MM/dd HH:mm", read in the account's time zone (keep it UTC). */
export function cqlDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}/${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}`;
}

/** The CQL both deployments run for incremental reads. */
export function modifiedSinceCql(since: Date, spaces: readonly string[]): string {
  const inSpaces = spaces.length > 0 ? ` and space in (${spaces.map((s) => `"${s}"`).join(',')})` : '';
  return `type in (page,blogpost,comment)${inSpaces} and lastmodified >= "${cqlDate(since)}" order by lastmodified asc`;
}
