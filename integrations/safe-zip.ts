import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ErrorCode, LeakwatchError } from '../src/core/errors.ts';

/**
 * Reading exported archives (Slack exports, Confluence space exports) that
 * may be hostile: entry names that would leave an extraction directory,
 * encrypted entries, and zip bombs whose headers understate what they inflate to.
 */

export function invalidArchive(zipPath: string, message: string): LeakwatchError {
  return new LeakwatchError(ErrorCode.InputInvalid, `${zipPath}: ${message}`);
}

/** Entry names that would leave the extraction directory (or are not portable) are refused outright. */
export function unsafeEntryName(name: string): boolean {
  return (
    name.includes('\\') ||
    name.includes('\0') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').includes('..')
  );
}

/** What may still be inflated from one archive; `read` counts what already was. */
export interface ZipBudget {
  zipPath: string;
  maxEntryBytes: number;
  maxTotalBytes: number;
  read: number;
}

/**
 * Reads one entry into memory, counting what is actually inflated (a zip
 * bomb can lie in its headers) against the per-entry and total budgets.
 */
export async function readZipEntry(zip: ZipFile, entry: Entry, name: string, budget: ZipBudget): Promise<Buffer> {
  const quoted = JSON.stringify(name);
  if (entry.isEncrypted()) throw invalidArchive(budget.zipPath, `entry ${quoted} is encrypted`);
  if (entry.uncompressedSize > budget.maxEntryBytes) {
    throw invalidArchive(
      budget.zipPath,
      `entry ${quoted} unpacks to ${entry.uncompressedSize} bytes, over the ${budget.maxEntryBytes}-byte limit per entry`,
    );
  }
  let stream;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw invalidArchive(budget.zipPath, `entry ${quoted} cannot be read: ${(error as Error).message}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      budget.read += chunk.length;
      if (size > budget.maxEntryBytes) {
        throw invalidArchive(
          budget.zipPath,
          `entry ${quoted} unpacks to more than ${budget.maxEntryBytes} bytes (the limit per entry)`,
        );
      }
      if (budget.read > budget.maxTotalBytes) {
        throw invalidArchive(
          budget.zipPath,
          `the archive unpacks to more than ${budget.maxTotalBytes} bytes (the limit for a whole export)`,
        );
      }
      chunks.push(chunk);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof LeakwatchError) throw error;
    if (/too many bytes in the stream/.test((error as Error).message)) {
      throw invalidArchive(
        budget.zipPath,
        `entry ${quoted} unpacks to more than the ${entry.uncompressedSize} bytes its header declares (a zip bomb?)`,
      );
    }
    throw invalidArchive(budget.zipPath, `entry ${quoted} is damaged: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks);
}

/**
 * Opens an archive for the readers above: names are validated by them, with our own messages; sizes are also
 * checked against the headers by yauzl. A missing or unreadable file is `InputUnreadable`.
 */
export async function openArchive(zipPath: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(zipPath, { autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new LeakwatchError(ErrorCode.InputUnreadable, `${zipPath}: no such file`);
    throw new LeakwatchError(ErrorCode.InputUnreadable, `${zipPath}: not a readable zip archive (${e.message})`);
  }
}
