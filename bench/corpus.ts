/**
 * Reproducible collaboration-style benchmark corpus: the same seed always gives
 * the same text, byte for byte, with a known set of planted credentials and
 * their exact character offsets (UTF-16 indices, as `scan()` reports them).
 */
import { chatFiller, noiseMessage, noiseParagraph } from './noise.ts';
import {
  assertChecksums,
  type Fragment,
  type PlantedSpan,
  TOKEN_FAMILIES,
  type TokenFamily,
} from './planted-tokens.ts';
import { Rng } from './rng.ts';

export type { PlantedSpan } from './planted-tokens.ts';

export const DEFAULT_SEED = 0x1eac5eed;

export interface LargeCorpus {
  text: string;
  /** Size of `text` in UTF-8 bytes (the corpus has some non-ASCII names and emoji). */
  bytes: number;
  planted: PlantedSpan[];
}

export interface PlantedInMessage extends PlantedSpan {
  /** Index into `messages`. */
  message: number;
}

export interface MessageCorpus {
  messages: string[];
  bytes: number;
  planted: PlantedInMessage[];
}

/** Every planted family name, including companion parts (the AWS secret access key). */
export const PLANTED_FAMILIES: readonly string[] = [...TOKEN_FAMILIES.map((f) => f.family), 'aws-secret-access-key'];

/** Families in a seed-dependent order, cycled so every family is planted before any repeats. */
function familyCycle(rng: Rng): () => TokenFamily {
  const order = [...TOKEN_FAMILIES];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let next = 0;
  return () => order[next++ % order.length]!;
}

/** Wraps a planted fragment the way it would appear: alone, or after/before some chat. */
function inContext(rng: Rng, fragment: Fragment): Fragment {
  const lead = rng.chance(0.5) ? `${chatFiller(rng)}\n` : '';
  const tail = rng.chance(0.3) ? `\n${chatFiller(rng)}` : '';
  return {
    text: `${lead}${fragment.text}${tail}`,
    planted: fragment.planted.map((p) => ({ ...p, start: p.start + lead.length, end: p.end + lead.length })),
  };
}

function plant(rng: Rng, next: () => TokenFamily): Fragment {
  const fragment = inContext(rng, next().make(rng));
  for (const p of fragment.planted) assertChecksums(p.family, fragment.text.slice(p.start, p.end));
  return fragment;
}

/**
 * One long text of at least `bytes` UTF-8 bytes (wiki exports, ticket dumps,
 * channel histories back to back), with a credential planted about every 200 KB.
 */
export function buildLargeText(bytes: number, seed = DEFAULT_SEED): LargeCorpus {
  const root = new Rng(seed);
  // Separate streams: changing a token generator must not reshuffle the noise.
  const noiseRng = root.fork();
  const plantRng = root.fork();
  const nextFamily = familyCycle(root.fork());
  const gap = (): number => plantRng.range(100_000, 300_000);

  const chunks: string[] = [];
  const planted: PlantedSpan[] = [];
  let chars = 0;
  let size = 0;
  let plantAt = gap();
  while (size < bytes) {
    let piece: string;
    if (size >= plantAt) {
      const fragment = plant(plantRng, nextFamily);
      for (const p of fragment.planted) planted.push({ ...p, start: p.start + chars, end: p.end + chars });
      piece = fragment.text;
      plantAt += gap();
    } else {
      piece = noiseParagraph(noiseRng);
    }
    piece += '\n\n';
    chunks.push(piece);
    chars += piece.length;
    size += Buffer.byteLength(piece);
  }
  return { text: chunks.join(''), bytes: size, planted };
}

/** `count` short chat messages and comments, with a credential planted in about one message in 2,000. */
export function buildMessages(count: number, seed = DEFAULT_SEED): MessageCorpus {
  const root = new Rng(seed ^ 0x5eed0001);
  const noiseRng = root.fork();
  const plantRng = root.fork();
  const nextFamily = familyCycle(root.fork());
  const gap = (): number => plantRng.range(1_000, 3_000);

  const messages: string[] = [];
  const planted: PlantedInMessage[] = [];
  let size = 0;
  let plantAt = gap();
  for (let i = 0; i < count; i++) {
    let message: string;
    if (i >= plantAt) {
      const fragment = plant(plantRng, nextFamily);
      for (const p of fragment.planted) planted.push({ ...p, message: i });
      message = fragment.text;
      plantAt += gap();
    } else {
      message = noiseMessage(noiseRng);
    }
    messages.push(message);
    size += Buffer.byteLength(message);
  }
  return { messages, bytes: size, planted };
}
