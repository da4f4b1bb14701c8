import { TermPool } from './term-pool.js';
import { TermStatistics, type WeightedTerms } from './term-statistics.js';
import { charGramsOf, contentWordsOf, stem, wordsOf } from './text.js';
import { unit, type VectorPrecision, VectorRows } from './vector-rows.js';

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

/** The slots of one content word, in a growing typed array: 4 bytes a posting, read without boxing. */
interface Postings {
  slots: Int32Array;
  length: number;
}

interface Partition {
  slots: Map<string, number>;
  entries: (IndexedPrompt | undefined)[];
  chars: TermPool;
  words: TermPool;
  vectors: VectorRows;
  /** Content-word stem -> slots that contain it (dead slots are skipped when read). */
  postings: Map<string, Postings>;
  /** Scratch space of lexical candidate scores, one number per slot, all zero between searches. */
  scratch: Float32Array;
  /** Scratch list of the slots a lexical search touched. */
  touched: Int32Array;
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
  /** `int8` keeps a vector in a quarter of the memory (a cosine moves by about 0.001). Default `float32`. */
  precision?: VectorPrecision;
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
  private readonly precision: VectorPrecision;

  constructor(options: SemanticIndexOptions) {
    this.dimensions = options.dimensions;
    this.exactScanLimit = options.exactScanLimit ?? 2000;
    this.candidateCount = options.candidates ?? 64;
    this.precision = options.precision ?? 'float32';
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
    part.vectors.set(slot, vector);
    const chars = this.charStatistics.vectorOf(charGramsOf(prompt.text), true);
    const words = this.wordStatistics.vectorOf(wordsOf(prompt.text), true);
    this.charStatistics.count(chars, 1);
    this.wordStatistics.count(words, 1);
    this.charStatistics.documents++;
    this.wordStatistics.documents++;
    part.entries.push({ ...prompt });
    part.chars.append(slot, chars);
    part.words.append(slot, words);
    part.slots.set(prompt.key, slot);
    part.live++;
    for (const word of new Set(contentWordsOf(prompt.text).map(stem))) {
      let list = part.postings.get(word);
      if (!list) {
        list = { slots: new Int32Array(4), length: 0 };
        part.postings.set(word, list);
      } else if (list.length === list.slots.length) {
        const grown = new Int32Array(list.length * 2);
        grown.set(list.slots);
        list.slots = grown;
      }
      list.slots[list.length++] = slot;
    }
  }

  /** Forgets the prompt of a key; `true` when it was there. */
  remove(partition: string, key: string): boolean {
    const part = this.partitions.get(partition);
    const slot = part?.slots.get(key);
    if (!part || slot === undefined) return false;
    part.slots.delete(key);
    part.entries[slot] = undefined;
    this.charStatistics.count(part.chars.terms(slot), -1);
    this.wordStatistics.count(part.words.terms(slot), -1);
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
        yield { partition, prompt, vector: part.vectors.row(slot) };
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
    const { chars, words } = part;
    for (const slot of slots) {
      const prompt = part.entries[slot]!;
      const dense = part.vectors.dot(query.vector, slot);
      const lexical =
        0.5 * this.charStatistics.cosine(query.chars, chars, chars.starts[slot]!, chars.starts[slot + 1]!) +
        0.5 * this.wordStatistics.cosine(query.words, words, words.starts[slot]!, words.starts[slot + 1]!);
      // Fields named one by one: an object spread here cost a fifth of a search at 100,000 entries.
      const { key, text, answer } = prompt;
      scored.push({ key, text, answer, score: (lexical + dense) / 2, lexical, dense });
    }
    return scored.sort((one, other) => other.score - one.score);
  }

  private partitionOf(partition: string): Partition {
    let part = this.partitions.get(partition);
    if (!part) {
      part = {
        slots: new Map(),
        entries: [],
        chars: new TermPool(),
        words: new TermPool(),
        vectors: new VectorRows(this.dimensions, this.precision),
        postings: new Map(),
        scratch: new Float32Array(0),
        touched: new Int32Array(0),
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
    if (part.scratch.length < part.entries.length) {
      part.scratch = new Float32Array(part.entries.length * 2);
      part.touched = new Int32Array(part.entries.length * 2);
    }
    const scores = part.scratch;
    const touched = part.touched;
    let touchedCount = 0;
    const lists = query.stems
      .map((word) => part.postings.get(word))
      .filter((list): list is Postings => list !== undefined)
      .sort((one, other) => one.length - other.length);
    const common = Math.max(1000, part.live / 10);
    let read = 0;
    for (const { slots, length } of lists) {
      if (length > common && touchedCount > 0) break;
      // Rarest words first; once there are enough candidates, stop before the reading gets long.
      if (read + length > POSTINGS_BUDGET && touchedCount >= this.candidateCount) break;
      read += length;
      const weight = Math.log((1 + part.live) / (1 + length)) + 1;
      for (let index = 0; index < length; index++) {
        const slot = slots[index]!;
        if (scores[slot] === 0) touched[touchedCount++] = slot;
        scores[slot]! += weight;
      }
    }
    // The best `candidateCount`, kept sorted (ties: the first touched first); most slots fail the first comparison.
    const bestSlots = new Int32Array(this.candidateCount);
    const bestScores = new Float32Array(this.candidateCount);
    let kept = 0;
    for (let index = 0; index < touchedCount; index++) {
      const slot = touched[index]!;
      const score = scores[slot]!;
      scores[slot] = 0;
      if (kept === this.candidateCount && score <= bestScores[kept - 1]!) continue;
      if (!part.entries[slot]) continue;
      let position = kept < this.candidateCount ? kept++ : kept - 1;
      while (position > 0 && bestScores[position - 1]! < score) {
        bestScores[position] = bestScores[position - 1]!;
        bestSlots[position] = bestSlots[position - 1]!;
        position--;
      }
      bestScores[position] = score;
      bestSlots[position] = slot;
    }
    return Array.from(bestSlots.subarray(0, kept));
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
