import { ApiError } from './api-error.ts';

/**
 * Opaque page cursors: the position of the last row returned, as base64url
 * JSON. Clients pass them back verbatim; anything that does not decode to the
 * expected shape is a 400 naming `cursor` (never a database error).
 */
export function encodeCursor(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<K extends string>(
  value: string,
  keys: readonly K[],
  valid: (position: Record<K, string>) => boolean,
): Record<K, string> {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (parsed === null || typeof parsed !== 'object') throw new Error('shape');
    const position = {} as Record<K, string>;
    for (const key of keys) {
      const field = parsed[key];
      if (typeof field !== 'string') throw new Error('shape');
      position[key] = field;
    }
    if (!valid(position)) throw new Error('values');
    return position;
  } catch {
    throw new ApiError(400, 'invalid_request', 'cursor: not a cursor returned by this API', 'cursor');
  }
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isTimestamp(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(value) && !Number.isNaN(Date.parse(value));
}
