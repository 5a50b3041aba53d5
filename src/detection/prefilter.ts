/**
 * Growable list of keyword hits: `starts[i]` is where keyword `keywords[i]`
 * begins. Reused across scans so the hot path allocates nothing per hit.
 */
export class KeywordHits {
  starts = new Int32Array(1024);
  keywords = new Int32Array(1024);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(start: number, keyword: number): void {
    if (this.length === this.starts.length) {
      this.starts = grow(this.starts);
      this.keywords = grow(this.keywords);
    }
    this.starts[this.length] = start;
    this.keywords[this.length++] = keyword;
  }
}

/**
 * Accepting positions of one automaton stream: where the hit's last character
 * is (`ends`, relative to the stream's `base`) and the DFA row reached.
 * Hits before `ownFrom` or at/after `ownTo` belong to a neighbouring stream.
 */
class AcceptBuffer {
  ends = new Int32Array(1024);
  rows = new Int32Array(1024);
  length = 0;
  base = 0;
  ownFrom = 0;
  ownTo = 0;

  reset(base: number, ownFrom: number, ownTo: number, capacity: number): void {
    this.length = 0;
    this.base = base;
    this.ownFrom = ownFrom;
    this.ownTo = ownTo;
    while (this.ends.length < capacity) {
      this.ends = grow(this.ends);
      this.rows = grow(this.rows);
    }
  }
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** Below this many characters one stream is as fast as four (and simpler). */
const MULTI_STREAM_MIN_CHARS = 16 * 1024;
/** Longer ranges are scanned in chunks of this size, which bounds the scratch buffers. */
const CHUNK_CHARS = 256 * 1024;

/** Sort order for states: the root first (it must stay state 0), then the others, those ending a keyword last. */
function acceptingLast(outputs: readonly (readonly number[])[], a: number, b: number): number {
  const rank = (state: number) => (state === 0 ? -1 : outputs[state]!.length > 0 ? 1 : 0);
  return rank(a) - rank(b) || a - b;
}

/**
 * Case-insensitive multi-keyword search in one pass: Aho-Corasick compiled to
 * a dense DFA over a compressed alphabet (one column per character that occurs
 * in some keyword, plus one for everything else, which sends the automaton
 * back to its root: keywords are ASCII literals, so every non-ASCII character
 * does).
 *
 * The hot loop is a chain of dependent table loads, so it is bound by load
 * latency rather than by instructions: long ranges are split into four
 * interleaved streams (each warmed up on the preceding `longest keyword - 1`
 * characters) whose chains the CPU overlaps, reading a `Uint16Array` copy
 * of the range (cheaper per character than `charCodeAt`). Rows are
 * premultiplied, so a transition is one add and one load, and states that end
 * a keyword are numbered last, so "is this a hit?" is one comparison.
 *
 * Why not a library: the npm Aho-Corasick packages return matched strings, not
 * offsets, or are unmaintained; this automaton is small, allocation-free in the
 * hot loop, and is what lets the engine skip all text no detector cares about.
 */
export class KeywordPrefilter {
  readonly keywords: readonly string[];
  /** Length of the longest keyword. */
  readonly longestKeyword: number;
  /** UTF-16 code unit → column; 0 for characters in no keyword. */
  readonly #columnOf: Uint8Array;
  /** Row offset (state × columns) + column → next state's row offset. */
  readonly #delta: Int32Array;
  /** Row offsets from here on belong to states that end at least one keyword. */
  readonly #firstAccepting: number;
  readonly #columns: number;
  /** Keyword indices ending at each state (own and via failure links), by state number. */
  readonly #outputs: readonly (readonly number[])[];
  readonly #lengths: Int32Array;
  readonly #warmUp: number;
  readonly #streams = [new AcceptBuffer(), new AcceptBuffer(), new AcceptBuffer(), new AcceptBuffer()] as const;
  readonly #scratch = new KeywordHits();
  /** UTF-16 copy of the range being scanned: typed-array reads are cheaper than `charCodeAt` in the hot loop. */
  #copy = Buffer.alloc(0);
  #units = new Uint16Array(0);

  constructor(keywords: readonly string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    for (const k of this.keywords) {
      if (k.length === 0) throw new Error('prefilter keyword must not be empty');
      // eslint-disable-next-line no-control-regex
      if (/[^\x00-\x7f]/.test(k)) throw new Error(`prefilter keyword must be ASCII: ${JSON.stringify(k)}`);
    }
    this.#lengths = Int32Array.from(this.keywords, (k) => k.length);
    this.longestKeyword = Math.max(0, ...this.keywords.map((k) => k.length));
    this.#warmUp = Math.max(0, this.longestKeyword - 1);

    // 1. Alphabet: one column per distinct keyword character; upper case letters share their lower case column.
    const columnOf = new Uint8Array(65536);
    let columns = 1;
    for (const k of this.keywords) {
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (columnOf[c] === 0) columnOf[c] = columns++;
      }
    }
    for (let c = 97; c <= 122; c++) columnOf[c - 32] = columnOf[c]!;

    // 2. Trie.
    const goto: Int32Array[] = [new Int32Array(columns).fill(-1)];
    const own: number[][] = [[]];
    this.keywords.forEach((keyword, index) => {
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const c = columnOf[keyword.charCodeAt(i)]!;
        let next = goto[state]![c]!;
        if (next === -1) {
          next = goto.length;
          goto.push(new Int32Array(columns).fill(-1));
          own.push([]);
          goto[state]![c] = next;
        }
        state = next;
      }
      own[state]!.push(index);
    });

    // 3. Breadth-first failure links, resolved into a complete transition table.
    const states = goto.length;
    const next = new Int32Array(states * columns);
    const fail = new Int32Array(states);
    const outputs = own.map((o) => [...o]);
    const queue: number[] = [];
    for (let c = 0; c < columns; c++) {
      const child = goto[0]![c]!;
      next[c] = child === -1 ? 0 : child;
      if (child !== -1) queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const f = fail[state]!;
      outputs[state]!.push(...outputs[f]!);
      for (let c = 0; c < columns; c++) {
        const child = goto[state]![c]!;
        if (child === -1) {
          next[state * columns + c] = next[f * columns + c]!;
        } else {
          next[state * columns + c] = child;
          fail[child] = next[f * columns + c]!;
          queue.push(child);
        }
      }
    }
    // 4. Renumber so that the states ending a keyword come last ("accepting?" is then one comparison, no
    // load), and store each transition as the next state's row offset (one add and one load per character).
    const order = Array.from({ length: states }, (_, state) => state).sort((a, b) => acceptingLast(outputs, a, b));
    const renamed = new Int32Array(states);
    order.forEach((state, index) => (renamed[state] = index));
    const delta = new Int32Array(states * columns);
    for (let state = 0; state < states; state++) {
      for (let c = 0; c < columns; c++)
        delta[renamed[state]! * columns + c] = renamed[next[state * columns + c]!]! * columns;
    }
    this.#delta = delta;
    const firstAccepting = order.findIndex((state) => outputs[state]!.length > 0);
    this.#firstAccepting = firstAccepting === -1 ? delta.length : firstAccepting * columns;
    this.#outputs = order.map((state) => outputs[state]!);
    this.#columnOf = columnOf;
    this.#columns = columns;
  }

  /**
   * Calls `onHit(keywordIndex, start)` for every occurrence of every keyword
   * inside `text[from, to)`, in order of the occurrence's end.
   */
  scan(text: string, onHit: (keywordIndex: number, start: number) => void, from = 0, to = text.length): void {
    const hits = this.#scratch;
    this.collect(text, hits, from, to);
    for (let i = 0; i < hits.length; i++) onHit(hits.keywords[i]!, hits.starts[i]!);
  }

  /**
   * Replaces the contents of `hits` with every occurrence of every keyword
   * inside `text[from, to)`, in order of the occurrence's end (several
   * keywords ending at one position: longest first).
   */
  collect(text: string, hits: KeywordHits, from = 0, to = text.length): void {
    hits.clear();
    from = Math.max(0, from);
    to = Math.min(text.length, to);
    // Chunks bound the scratch buffers; each chunk owns the hits that end in it and reads `warmUp`
    // characters before it (but never before `from`), so a keyword straddling two chunks is seen whole.
    for (let own = from; own < to; own += CHUNK_CHARS) {
      const ownTo = Math.min(to, own + CHUNK_CHARS);
      const readFrom = Math.max(from, own - this.#warmUp);
      if (ownTo - own < MULTI_STREAM_MIN_CHARS) {
        const stream = this.#streams[0];
        stream.reset(0, own, ownTo, ownTo - readFrom);
        this.#runOne(text, readFrom, ownTo, stream);
        this.#expand(stream, from, hits);
      } else {
        this.#runFour(text, readFrom, own, ownTo);
        for (const stream of this.#streams) this.#expand(stream, from, hits);
      }
    }
  }

  #runOne(text: string, readFrom: number, to: number, out: AcceptBuffer): void {
    const delta = this.#delta;
    const accepting = this.#firstAccepting;
    const columnOf = this.#columnOf;
    const ends = out.ends;
    const rows = out.rows;
    let n = 0;
    let row = 0;
    for (let i = readFrom; i < to; i++) {
      row = delta[row + columnOf[text.charCodeAt(i)]!]!;
      if (row >= accepting) {
        ends[n] = i;
        rows[n++] = row;
      }
    }
    out.length = n;
  }

  /**
   * Four streams in lockstep over quarters of `text[own, to)`. Stream k owns
   * the hits whose last character lies in its quarter. Each starts from the
   * root `warmUp` characters before its quarter (stream 0 at `readFrom`), so a
   * keyword straddling a quarter boundary is seen whole; stream 3 is shifted
   * left to end exactly at `to`, so all run the same number of steps.
   */
  #runFour(text: string, readFrom: number, own: number, to: number): void {
    const delta = this.#delta;
    const accepting = this.#firstAccepting;
    const columnOf = this.#columnOf;
    const units = this.#unitsOf(text, readFrom, to);
    const quarter = Math.ceil((to - own) / 4);
    const steps = quarter + this.#warmUp;
    const own1 = own + quarter;
    const own2 = own1 + quarter;
    const own3 = own2 + quarter;
    const start1 = own1 - this.#warmUp;
    const start2 = own2 - this.#warmUp;
    const start3 = to - steps;
    const [out0, out1, out2, out3] = this.#streams;
    out0.reset(readFrom, own, own1, steps);
    out1.reset(start1, own1, own2, steps);
    out2.reset(start2, own2, own3, steps);
    out3.reset(start3, own3, to, steps);
    const [ends0, ends1, ends2, ends3] = [out0.ends, out1.ends, out2.ends, out3.ends];
    const [rows0, rows1, rows2, rows3] = [out0.rows, out1.rows, out2.rows, out3.rows];
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    // Offsets into `units`, which holds text[readFrom, to).
    const at1 = start1 - readFrom;
    const at2 = start2 - readFrom;
    const at3 = start3 - readFrom;
    for (let j = 0; j < steps; j++) {
      r0 = delta[r0 + columnOf[units[j]!]!]!;
      r1 = delta[r1 + columnOf[units[at1 + j]!]!]!;
      r2 = delta[r2 + columnOf[units[at2 + j]!]!]!;
      r3 = delta[r3 + columnOf[units[at3 + j]!]!]!;
      if (r0 >= accepting || r1 >= accepting || r2 >= accepting || r3 >= accepting) {
        if (r0 >= accepting) {
          ends0[n0] = j;
          rows0[n0++] = r0;
        }
        if (r1 >= accepting) {
          ends1[n1] = j;
          rows1[n1++] = r1;
        }
        if (r2 >= accepting) {
          ends2[n2] = j;
          rows2[n2++] = r2;
        }
        if (r3 >= accepting) {
          ends3[n3] = j;
          rows3[n3++] = r3;
        }
      }
    }
    out0.length = n0;
    out1.length = n1;
    out2.length = n2;
    out3.length = n3;
  }

  /** `text[from, to)` as UTF-16 code units, in a buffer reused across calls. */
  #unitsOf(text: string, from: number, to: number): Uint16Array {
    const length = to - from;
    if (this.#units.length < length) {
      this.#copy = Buffer.alloc(2 * Math.max(length, 2 * this.#units.length));
      this.#units = new Uint16Array(this.#copy.buffer, this.#copy.byteOffset, this.#copy.length / 2);
    }
    this.#copy.write(text.slice(from, to), 0, 'utf16le');
    return this.#units;
  }

  /** Turns accepting positions into (start, keyword) hits, dropping any that would start before `from`. */
  #expand(stream: AcceptBuffer, from: number, hits: KeywordHits): void {
    const outputs = this.#outputs;
    const lengths = this.#lengths;
    const columns = this.#columns;
    for (let i = 0; i < stream.length; i++) {
      const last = stream.base + stream.ends[i]!;
      if (last < stream.ownFrom || last >= stream.ownTo) continue;
      const end = last + 1;
      for (const k of outputs[stream.rows[i]! / columns]!) {
        const start = end - lengths[k]!;
        if (start >= from) hits.push(start, k);
      }
    }
  }
}
