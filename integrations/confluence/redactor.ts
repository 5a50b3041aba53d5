import type { RedactionOutcome, RedactionRequest } from '../../src/core/integration.ts';
import type { Executor } from '../../src/db/executor.ts';
import type { Logger } from '../../src/logger.ts';
import { VersionConflictError, type ConfluenceApi, type ContentVersion } from './confluence-api.ts';
import { ConfluenceHttpError } from './confluence-http.ts';
import { parseItem } from './page-documents.ts';
import { redactStorage } from './storage-redaction.ts';
import { PLATFORM, type VersionLedger } from './version-ledger.ts';

export interface RedactorDeps {
  api: ConfluenceApi;
  db: Executor;
  ledger: VersionLedger;
  logger: Logger;
  /** Writes attempted when other edits keep taking the next version number. Default 5. */
  maxAttempts?: number;
}

const VERSION_MESSAGE = 'leakwatch: redacted a leaked credential';

type CurrentResult =
  | { kind: 'gone' }
  | { kind: 'clean'; current: ContentVersion }
  | { kind: 'written'; current: ContentVersion; version: number }
  | { kind: 'failed'; detail: string };

/**
 * Writes a redacted new version over the current text (optimistic lock on
 * the version number, re-read and retried on 409), refusing to write if the
 * result would still hold the secret.
 */
async function redactCurrent(
  deps: RedactorDeps,
  request: RedactionRequest,
  ref: ContentVersion['ref'],
): Promise<CurrentResult> {
  const attempts = deps.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await deps.api.getContent(ref);
    if (!current) return { kind: 'gone' };
    const located = request.locate(current.body, 'xhtml');
    if (located.length === 0) return { kind: 'clean', current };
    const body = redactStorage(current.body, located);
    if (request.locate(body, 'xhtml').length > 0) {
      return { kind: 'failed', detail: 'the redacted text still contained the secret; nothing was written' };
    }
    try {
      const version = await deps.api.updateBody(current, body, VERSION_MESSAGE);
      return { kind: 'written', current: { ...current, version, body }, version };
    } catch (error) {
      if (error instanceof VersionConflictError) continue;
      if (error instanceof ConfluenceHttpError) {
        return { kind: 'failed', detail: `the redacted version could not be written: ${error.status}` };
      }
      throw error;
    }
  }
  return {
    kind: 'failed',
    detail: `the page kept changing: ${attempts} version conflicts in a row, nothing was written`,
  };
}

/**
 * Redacts one Confluence occurrence: the current text first (Confluence
 * cannot delete the current version), then every historical version that
 * still holds the secret is deleted, newest first (Confluence renumbers the
 * versions after a deleted one, so going down keeps the remaining numbers
 * valid). The detail says what was done and, secret-free, what could not be
 * removed. 429s propagate so the redact job is retried later.
 */
export async function redactConfluenceOccurrence(
  deps: RedactorDeps,
  request: RedactionRequest,
): Promise<RedactionOutcome> {
  const { occurrence } = request;
  if (occurrence.platform !== PLATFORM || occurrence.workspace !== deps.api.host) {
    return { status: 'unsupported', detail: `occurrence is not on ${deps.api.host}` };
  }
  const parsed = parseItem(occurrence.item);
  if (!parsed) return { status: 'unsupported', detail: `"${occurrence.item}" is not a Confluence item` };

  const current = await redactCurrent(deps, request, parsed.ref);
  if (current.kind === 'gone')
    return { status: 'not_found', detail: `${parsed.ref.kind} ${parsed.ref.id} no longer exists` };
  if (current.kind === 'failed') return { status: 'failed', detail: current.detail };

  const removed: number[] = [];
  const failures: string[] = [];
  for (const number of await deps.api.historicalVersions(current.current)) {
    const version = await deps.api.getVersion(current.current, number);
    if (!version || request.locate(version.body, 'xhtml').length === 0) continue;
    try {
      await deps.api.deleteVersion(parsed.ref, number);
      removed.push(number);
    } catch (error) {
      if (!(error instanceof ConfluenceHttpError)) throw error;
      failures.push(`version ${number} could not be deleted: ${error.status}`);
    }
  }
  // The remaining versions were renumbered: let the next read look at them again.
  if (removed.length > 0) await deps.ledger.forgetHistory(deps.db, parsed.ref.id);

  if (current.kind === 'clean' && removed.length === 0 && failures.length === 0) {
    return { status: 'not_found', detail: 'the secret is no longer in the current version or its history' };
  }
  const done: string[] = [];
  if (current.kind === 'written') done.push(`wrote redacted version ${current.version}`);
  if (removed.length > 0) done.push(`deleted historical version${removed.length > 1 ? 's' : ''} ${removed.join(', ')}`);
  const detail = [...done, ...failures].join('; ');
  deps.logger.info(
    {
      platform: PLATFORM,
      content: parsed.ref,
      written: current.kind === 'written',
      removed,
      failures: failures.length,
    },
    'confluence redaction',
  );
  return { status: failures.length > 0 ? 'failed' : 'redacted', detail };
}
