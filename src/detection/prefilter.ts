/**
 * Case-insensitive multi-keyword search in one pass (Aho-Corasick compiled to a
 * dense DFA over ASCII). Keywords are ASCII literals; any non-ASCII character
 * resets the automaton since no keyword can contain it.
 *
 * Why not a library: the npm Aho-Corasick packages return matched strings, not
 * offsets, or are unmaintained; this automaton is small, allocation-free in the
 * hot loop, and is what lets the engine skip ~all text no detector cares about.
 */
export class KeywordPrefilter {
  readonly keywords: readonly string[];
  readonly #delta: Int32Array;
  /** 1 where a state has outputs: a typed-array check keeps the hot loop monomorphic. */
  readonly #accepting: Uint8Array;
  /** For each state, the keyword indices that end there (own and via failure links), or undefined. */
  readonly #outputs: (readonly number[] | undefined)[];

  constructor(keywords: readonly string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    for (const k of this.keywords) {
      if (k.length === 0) throw new Error('prefilter keyword must not be empty');
      // eslint-disable-next-line no-control-regex
      if (/[^\x00-\x7f]/.test(k)) throw new Error(`prefilter keyword must be ASCII: ${JSON.stringify(k)}`);
    }

    // 1. Trie.
    const goto: Int32Array[] = [new Int32Array(128).fill(-1)];
    const own: number[][] = [[]];
    this.keywords.forEach((keyword, index) => {
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const c = keyword.charCodeAt(i);
        let next = goto[state]![c]!;
        if (next === -1) {
          next = goto.length;
          goto.push(new Int32Array(128).fill(-1));
          own.push([]);
          goto[state]![c] = next;
        }
        state = next;
      }
      own[state]!.push(index);
    });

    // 2. Breadth-first failure links, resolved into a complete transition table.
    const states = goto.length;
    const delta = new Int32Array(states * 128);
    const fail = new Int32Array(states);
    const outputs: (number[] | undefined)[] = own.map((o) => (o.length > 0 ? [...o] : undefined));
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const next = goto[0]![c]!;
      delta[c] = next === -1 ? 0 : next;
      if (next !== -1) queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const f = fail[state]!;
      const inherited = outputs[f];
      if (inherited) outputs[state] = [...(outputs[state] ?? []), ...inherited];
      for (let c = 0; c < 128; c++) {
        const next = goto[state]![c]!;
        if (next === -1) {
          delta[state * 128 + c] = delta[f * 128 + c]!;
        } else {
          delta[state * 128 + c] = next;
          fail[next] = delta[f * 128 + c]!;
          queue.push(next);
        }
      }
    }
    // Fold case into the table (A-Z behave as a-z) so the scan loop needs no branch for it.
    for (let state = 0; state < states; state++) {
      for (let c = 65; c <= 90; c++) delta[state * 128 + c] = delta[state * 128 + c + 32]!;
    }
    this.#delta = delta;
    this.#outputs = outputs;
    this.#accepting = Uint8Array.from(outputs, (o) => (o === undefined ? 0 : 1));
  }

  /**
   * Calls `onHit(keywordIndex, start)` for every occurrence of every keyword in
   * `text[from, to)`, in order of the occurrence's end.
   */
  scan(text: string, onHit: (keywordIndex: number, start: number) => void, from = 0, to = text.length): void {
    const delta = this.#delta;
    const accepting = this.#accepting;
    const outputs = this.#outputs;
    const keywords = this.keywords;
    let state = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) {
        state = 0;
        continue;
      }
      state = delta[(state << 7) | c]!;
      if (accepting[state] === 1) {
        for (const k of outputs[state]!) onHit(k, i + 1 - keywords[k]!.length);
      }
    }
  }
}
