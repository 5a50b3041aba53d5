import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A text to scan and where it came from. */
export interface ScanInput {
  /** Path as given (or `-` for standard input). */
  name: string;
  text: string;
}

export interface InputProblem {
  name: string;
  message: string;
}

/** Files larger than this are reported, not read: V8 cannot hold much larger strings anyway. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Directories never worth descending into. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn']);
const BINARY_SNIFF_BYTES = 8000;

function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

const decoder = new TextDecoder('utf-8');

function decode(name: string, bytes: Uint8Array): ScanInput | InputProblem {
  if (looksBinary(bytes)) return { name, message: 'binary file, skipped' };
  return { name, text: decoder.decode(bytes) };
}

/**
 * Expands paths (files, directories recursively, `-` for stdin) into texts, one
 * at a time so a large tree is never held in memory at once. Problems
 * (unreadable, binary, too large) are yielded, not thrown, so the rest is still scanned.
 */
export function* readInputs(
  paths: readonly string[],
  readStdin: () => Uint8Array,
): Generator<ScanInput | InputProblem> {
  for (const path of paths) {
    if (path === '-') {
      yield decode('-', readStdin());
      continue;
    }
    yield* readPath(path);
  }
}

function* readPath(path: string): Generator<ScanInput | InputProblem> {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    yield { name: path, message: describe(error) };
    return;
  }
  if (stat.isDirectory()) {
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      yield { name: path, message: describe(error) };
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      // Symbolic links are not followed: they can loop or leave the tree being scanned.
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory() || entry.isFile()) yield* readPath(join(path, entry.name));
    }
    return;
  }
  if (!stat.isFile()) {
    yield { name: path, message: 'not a regular file, skipped' };
    return;
  }
  if (stat.size > MAX_FILE_BYTES) {
    yield { name: path, message: `larger than ${MAX_FILE_BYTES} bytes, skipped` };
    return;
  }
  try {
    yield decode(path, readFileSync(path));
  } catch (error) {
    yield { name: path, message: describe(error) };
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e.code ?? String(e.message);
  }
}
