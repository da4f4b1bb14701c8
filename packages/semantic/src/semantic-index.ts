import { type SparseTerms, TermStatistics, type WeightedTerms } from './term-statistics.js';
import { charGramsOf, contentWordsOf, stem, wordsOf } from './text.js';

/** One cached prompt as the index keeps it. */
export interface IndexedPrompt {
  /** The cache key of the entry that answers this prompt. */
  key: string;
  /** The prompt text that was compared (the last user turn). */
  text: string;
  /** Identifies the answer: entries with equal ids answer alike (the margin compares different answers only). */
  answer: string;
}

/** A prompt of the index scored against a query. */
export interface ScoredPrompt extends IndexedPrompt {
  /** The combined score: the mean of `lexical` and `dense`. */
  score: number;
  /** TF-IDF cosine: half character 3-5-grams, half words. */
  lexical: number;
  /** Cosine of the embedder's vectors. */
  dense: number;
}

/** A query ready to be scored: its vector and its weighted terms. */
export interface PreparedQuery {
  text: string;
  vector: Float32Array;
  chars: WeightedTerms;
  words: WeightedTerms;
  stems: string[];
}

interface Partition {
  slots: Map<string, number>;
  entries: (IndexedPrompt | undefined)[];
  chars: SparseTerms[];
  words: SparseTerms[];
  vectors: Float32Array;
  /** Content-word stem -> slots that contain it (dead slots are skipped when read). */
  postings: Map<string, number[]>;
  /** Scratch space of lexical candidate scores, one number per slot, all zero between searches. */
  scratch: Float32Array;
  live: number;
}

/** Options of {@link SemanticIndex}. */
export interface SemanticIndexOptions {
  /** Length of the vectors. */
  dimensions: number;
  /** Partitions up to this size are scanned whole; larger ones score only lexical candidates. Default `2000`. */
  exactScanLimit?: number;
  /** How many lexical candidates a large partition scores. Default `64`. */
  candidates?: number;
}

/**
 * Cached prompts with their vectors, in partitions that never see each other (a partition is one fingerprint of
 * everything but the prompt text). Vectors sit in one growing `Float32Array` per partition; an inverted index of
 * content words gives the candidates of a large partition, and a small one is scanned whole.
 */
export class SemanticIndex {
  readonly dimensions: number;
  private readonly partitions = new Map<string, Partition>();
  private readonly charStatistics = new TermStatistics();
  private readonly wordStatistics = new TermStatistics();
  private readonly exactScanLimit: number;
  private readonly candidateCount: number;

  constructor(options: SemanticIndexOptions) {
    this.dimensions = options.dimensions;
    this.exactScanLimit = options.exactScanLimit ?? 2000;
    this.candidateCount = options.candidates ?? 64;
  }

  /** Number of live prompts in one partition, or in all of them. */
  size(partition?: string): number {
    if (partition !== undefined) return this.partitions.get(partition)?.live ?? 0;
    let total = 0;
    for (const { live } of this.partitions.values()) total += live;
    return total;
  }

  /** Whether a partition holds the prompt of a key. */
  has(partition: string, key: string): boolean {
    return this.partitions.get(partition)?.slots.has(key) ?? false;
  }

  /** Adds (or replaces) the prompt of `prompt.key` in a partition. */
  add(partition: string, prompt: IndexedPrompt, vector: ArrayLike<number>): void {
    if (vector.length !== this.dimensions) {
      throw new RangeError(
        `[semantic] a vector has ${vector.length} numbers; the index expects ${this.dimensions}`,
      );
    }
    // Remove first: removing the last prompt of a partition drops the partition.
    this.remove(partition, prompt.key);
    const part = this.partitionOf(partition);
    const slot = part.entries.length;
    if ((slot + 1) * this.dimensions > part.vectors.length) {
      const grown = new Float32Array(Math.max(part.vectors.length * 2, 16 * this.dimensions));
      grown.set(part.vectors);
      part.vectors = grown;
    }
    part.vectors.set(unit(vector), slot * this.dimensions);
    const chars = this.charStatistics.vectorOf(charGramsOf(prompt.text), true);
    const words = this.wordStatistics.vectorOf(wordsOf(prompt.text), true);
    this.charStatistics.count(chars, 1);
    this.wordStatistics.count(words, 1);
    this.charStatistics.documents++;
    this.wordStatistics.documents++;
    part.entries.push({ ...prompt });
    part.chars.push(chars);
    part.words.push(words);
    part.slots.set(prompt.key, slot);
    part.live++;
    for (const word of new Set(contentWordsOf(prompt.text).map(stem))) {
      const list = part.postings.get(word) ?? [];
      list.push(slot);
      part.postings.set(word, list);
    }
  }

  /** Forgets the prompt of a key; `true` when it was there. */
  remove(partition: string, key: string): boolean {
    const part = this.partitions.get(partition);
    const slot = part?.slots.get(key);
    if (!part || slot === undefined) return false;
    part.slots.delete(key);
    part.entries[slot] = undefined;
    this.charStatistics.count(part.chars[slot]!, -1);
    this.wordStatistics.count(part.words[slot]!, -1);
    this.charStatistics.documents--;
    this.wordStatistics.documents--;
    part.live--;
    if (part.live === 0) this.partitions.delete(partition);
    return true;
  }

  /** Every live prompt of every partition, for persistence. */
  *entries(): Generator<{ partition: string; prompt: IndexedPrompt; vector: Float32Array }> {
    for (const [partition, part] of this.partitions) {
      for (const [slot, prompt] of part.entries.entries()) {
        if (!prompt) continue;
        const start = slot * this.dimensions;
        yield { partition, prompt, vector: part.vectors.slice(start, start + this.dimensions) };
      }
    }
  }

  /** The query's vector and terms, weighted with the current frequencies. */
  prepare(text: string, vector: ArrayLike<number>): PreparedQuery {
    return {
      text,
      vector: unit(vector),
      chars: this.charStatistics.weigh(this.charStatistics.vectorOf(charGramsOf(text), false)),
      words: this.wordStatistics.weigh(this.wordStatistics.vectorOf(wordsOf(text), false)),
      stems: [...new Set(contentWordsOf(text).map(stem))],
    };
  }

  /** The scored candidates of a partition, best first. */
  search(partition: string, query: PreparedQuery): ScoredPrompt[] {
    const part = this.partitions.get(partition);
    if (!part) return [];
    const slots = part.live <= this.exactScanLimit ? liveSlots(part) : this.lexicalCandidates(part, query);
    const scored: ScoredPrompt[] = [];
    for (const slot of slots) {
      const prompt = part.entries[slot]!;
      const dense = dot(query.vector, part.vectors, slot * this.dimensions);
      const lexical =
        0.5 * this.charStatistics.cosine(query.chars, part.chars[slot]!) +
        0.5 * this.wordStatistics.cosine(query.words, part.words[slot]!);
      scored.push({ ...prompt, score: (lexical + dense) / 2, lexical, dense });
    }
    return scored.sort((one, other) => other.score - one.score);
  }

  private partitionOf(partition: string): Partition {
    let part = this.partitions.get(partition);
    if (!part) {
      part = {
        slots: new Map(),
        entries: [],
        chars: [],
        words: [],
        vectors: new Float32Array(0),
        postings: new Map(),
        scratch: new Float32Array(0),
        live: 0,
      };
      this.partitions.set(partition, part);
    }
    return part;
  }

  /**
   * The slots sharing the most (IDF-weighted) content words with the query, rarest words first. Words found in
   * more than a tenth of the partition are read only when no rarer word matched: they rank little and cost the most.
   */
  private lexicalCandidates(part: Partition, query: PreparedQuery): number[] {
    // Scores accumulate in a typed array (cleared through the list of slots touched): a Map costs 10x more.
    if (part.scratch.length < part.entries.length) part.scratch = new Float32Array(part.entries.length * 2);
    const scores = part.scratch;
    const touched: number[] = [];
    const lists = query.stems
      .map((word) => part.postings.get(word))
      .filter((slots): slots is number[] => slots !== undefined)
      .sort((one, other) => one.length - other.length);
    const common = Math.max(1000, part.live / 10);
    let read = 0;
    for (const slots of lists) {
      if (slots.length > common && touched.length > 0) break;
      // Rarest words first; once there are enough candidates, stop before the reading gets long.
      if (read + slots.length > POSTINGS_BUDGET && touched.length >= this.candidateCount) break;
      read += slots.length;
      const weight = Math.log((1 + part.live) / (1 + slots.length)) + 1;
      for (const slot of slots) {
        if (scores[slot] === 0) touched.push(slot);
        scores[slot]! += weight;
      }
    }
    const best: [number, number][] = [];
    for (const slot of touched) {
      const score = scores[slot]!;
      scores[slot] = 0;
      if (!part.entries[slot]) continue;
      if (best.length === this.candidateCount && score <= best[best.length - 1]![1]) continue;
      let position = best.length;
      while (position > 0 && best[position - 1]![1] < score) position--;
      best.splice(position, 0, [slot, score]);
      if (best.length > this.candidateCount) best.pop();
    }
    return best.map(([slot]) => slot);
  }
}

/** Most postings one lexical search reads once it has its candidates: keeps a search within about a millisecond. */
const POSTINGS_BUDGET = 20_000;

function liveSlots(part: Partition): number[] {
  const slots: number[] = [];
  part.entries.forEach((entry, slot) => {
    if (entry) slots.push(slot);
  });
  return slots;
}

function unit(vector: ArrayLike<number>): Float32Array {
  const result = Float32Array.from(vector);
  let squares = 0;
  for (const value of result) squares += value * value;
  const norm = Math.sqrt(squares);
  if (norm > 0) for (let index = 0; index < result.length; index++) result[index]! /= norm;
  return result;
}

function dot(query: Float32Array, vectors: Float32Array, offset: number): number {
  let sum = 0;
  for (let index = 0; index < query.length; index++) sum += query[index]! * vectors[offset + index]!;
  return sum;
}
