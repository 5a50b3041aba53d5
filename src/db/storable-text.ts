/**
 * PostgreSQL `text` and `jsonb` cannot hold NUL characters or unpaired UTF-16
 * surrogates: a value carrying one fails the statement. Input from outside
 * (API bodies and queries, webhook payloads) is checked with this first, so
 * such a value is a 400 naming the field instead of a database error and a 500.
 */

function storable(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/**
 * The path (`author.name`, `items.2.id`) of the first string or key in `value`
 * that PostgreSQL cannot store, or undefined when all can be. Walks iteratively,
 * so a deeply nested payload cannot overflow the stack.
 *
 * `skipKeys` names fields, at any depth, that are never stored as text (a
 * document's `text` is sealed into bytes first).
 *
 * @example
 *   unstorableTextPath({ author: { name: 'a\u0000' } }) // 'author.name'
 */
export function unstorableTextPath(value: unknown, skipKeys: readonly string[] = []): string | undefined {
  interface Node {
    value: unknown;
    key?: string;
    parent?: Node;
  }
  const pathOf = (node: Node): string => {
    const keys: string[] = [];
    for (let at: Node | undefined = node; at?.key !== undefined; at = at.parent) keys.push(at.key);
    return keys.reverse().join('.') || '(body)';
  };
  const stack: Node[] = [{ value }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const current = node.value;
    if (typeof current === 'string') {
      if (!storable(current)) return pathOf(node);
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, key: String(i), parent: node }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (skipKeys.includes(key)) continue;
        const child = { value: item, key, parent: node };
        if (!storable(key)) return pathOf(child);
        stack.push(child);
      }
    }
  }
  return undefined;
}

/** A NUL or UTF-16 surrogate written as a JSON escape (`\u0000`, `\ud83d`). */
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * False when no string parsed from this JSON text can hold a NUL or an
 * unpaired surrogate: the text has neither character itself (it is well
 * formed) nor an escape that makes one. Lets a webhook skip walking the parsed
 * payload (`unstorableTextPath`) for nearly every request; true only says look.
 */
export function jsonMayHoldUnstorableText(json: string): boolean {
  return json.includes('\u0000') || !json.isWellFormed() || UNSTORABLE_ESCAPE.test(json);
}
