import { createHash } from 'node:crypto';
import { type CacheEntry, InvalidOptionError, type SemanticStage } from '@prompt-cache/core';
import { canonicalJson, type SemanticMatch } from '@prompt-cache/core/store-kit';
import { type CandidateVerdict, type DecisionOptions, decide } from './decision.js';
import type { Embedder } from './embedder.js';
import type { IndexStorage } from './index-storage.js';
import { type IndexStorageSource, indexStorageOf } from './index-storage-source.js';
import { SemanticIndex } from './semantic-index.js';
import { createUseLiteEmbedder } from './use-lite-embedder.js';
import type { VectorPrecision } from './vector-rows.js';

/** A request cut in two: everything that must be identical, and the text that is compared. */
export interface SplitRequest {
  /** Model, parameters, system prompt, earlier turns, tools, media: anything but the last user turn's text. */
  scope: unknown;
  /** The text of the last user turn. */
  text: string;
}

/** Options of {@link createSemanticStage}. */
export interface SemanticOptions<Request> extends DecisionOptions {
  /**
   * Cuts a request into its scope and its text; `undefined` for a request that is never matched semantically
   * (a request without text, an operation the stage does not understand). Required.
   * @example split: (request) => ({ scope: { model: request.model }, text: request.prompt })
   */
  split: (request: Request) => SplitRequest | undefined;
  /** Turns texts into vectors. Default: Universal Sentence Encoder lite, offline ({@link createUseLiteEmbedder}). */
  embedder?: Embedder;
  /** The text that identifies an answer, for the margin. Default: the canonical JSON of the cached value. */
  answerOf?: (value: unknown) => string;
  /** Longest wait for one embedding; slower calls are exact-only lookups. Default `2000` ms (the first call loads the model). */
  embedTimeoutMs?: number;
  /** Longer prompt texts (in characters) are not matched semantically, only exactly. Default `2000`. */
  maxTextLength?: number;
  /** Partitions up to this size are scanned whole; larger ones score their lexical candidates. Default `2000`. */
  exactScanLimit?: number;
  /** Lexical candidates scored in a large partition. Default `64`. */
  candidates?: number;
  /**
   * Where the index outlives the process: the cache's store (a file store keeps it in a file beside the entries,
   * a Redis store in Redis, shared by every process), or {@link fileIndex} / {@link redisIndex} with options.
   * Default: in memory only.
   * @example persist: store
   */
  persist?: IndexStorageSource;
  /**
   * Told, in one line, about what the index could not do (a corrupt index file rebuilt, Redis unreachable). Never
   * the caller's error: lookups carry on. Default: `console.warn` of the message.
   */
  onError?: (error: Error) => void;
  /** `int8` keeps each vector in a quarter of the memory (a cosine moves by about 0.001). Default `float32`. */
  precision?: VectorPrecision;
}

/** What the stage did since it was made. */
export interface SemanticCounters {
  /** Lookups that reached the index. */
  lookups: number;
  /** Lookups answered from another prompt's entry. */
  served: number;
  /** Lookups the rule refused (threshold, margin or guard). */
  refused: number;
  /** Requests not matched: no text, text too long, or an empty partition (no embedding was paid for). */
  skipped: number;
  /** Embeddings that failed or timed out (those lookups were exact-only). */
  embedderFailures: number;
  /** Index entries dropped because their cache entry was gone (expired, evicted, deleted). */
  dropped: number;
}

/** Why a request was or was not served semantically: see {@link SemanticCache.explain}. */
export interface SemanticExplanation {
  /** The compared text, or `undefined` for a request the stage does not match. */
  text?: string;
  /** The partition fingerprint (hex). */
  partition?: string;
  /** `served`, or why not. */
  reason: string;
  /** Lead of the best over the best candidate with a different answer. */
  lead?: number;
  /** The best candidates, best first, each with its scores and verdict. */
  candidates: CandidateVerdict[];
  /** The key of the entry that would answer. */
  servedKey?: string;
}

/** The stage the orchestrator calls, with what a user needs to watch it. */
export interface SemanticCache<Request> extends SemanticStage<Request> {
  readonly embedder: Embedder;
  readonly index: SemanticIndex;
  readonly counters: SemanticCounters;
  /** What the rule makes of `request` now (no store read, nothing counted). `key` is its exact key. */
  explain(request: Request, key: string): Promise<SemanticExplanation>;
  /** Where the index is kept besides memory (`persist`), if anywhere. */
  readonly storage?: IndexStorage;
  /** Resolves once the saved index is loaded (at once without `persist`). */
  readonly ready: Promise<void>;
  /** Resolves when every answer handed to `remember` is in the index (and saved, with `persist`). */
  flush(): Promise<void>;
  /** Saves what is pending and releases the storage's connections and timers. */
  close(): Promise<void>;
}

const VECTOR_MEMO_SIZE = 256;
const MAX_DROPS_PER_LOOKUP = 3;

/**
 * A semantic second stage for `createPromptCache({ semantic })`: after an exact miss, the last user turn is
 * compared with the cached prompts of the same partition (everything else identical, same namespace, same
 * embedder), and the nearest is served only when the decision rule allows it. A served entry is read from the
 * store, so an entry that expired or was deleted is never served (and leaves the index).
 */
export function createSemanticStage<Request>(options: SemanticOptions<Request>): SemanticCache<Request> {
  if (typeof options?.split !== 'function') {
    throw new InvalidOptionError(
      '[semantic] createSemanticStage needs split(request) => { scope, text }, the part compared and the rest',
    );
  }
  const embedder = options.embedder ?? createUseLiteEmbedder();
  const index = new SemanticIndex({
    dimensions: embedder.dimensions,
    exactScanLimit: options.exactScanLimit,
    candidates: options.candidates,
    precision: options.precision,
  });
  const answerOf = options.answerOf ?? ((value: unknown) => canonicalJson(value));
  const timeoutMs = options.embedTimeoutMs ?? 2000;
  const maxTextLength = options.maxTextLength ?? 2000;
  const counters: SemanticCounters = {
    lookups: 0,
    served: 0,
    refused: 0,
    skipped: 0,
    embedderFailures: 0,
    dropped: 0,
  };
  const vectors = new Map<string, ArrayLike<number>>();
  const onError = options.onError ?? ((error: Error) => console.warn(error.message));
  const report = (error: Error) => {
    try {
      onError(error);
    } catch {
      // A failing logger must not fail a lookup.
    }
  };
  const storage = indexStorageOf(options.persist);
  const ready: Promise<void> = storage
    ? storage
        .open({ index, embedderId: embedder.id, report })
        .catch((error) => report(new Error(`[semantic] could not load the index: ${error.message}`)))
    : Promise.resolve();
  let pending: Promise<void> = ready;

  const eligible = (request: Request, key: string) => {
    const split = options.split(request);
    const text = split?.text.trim();
    if (!split || !text || text.length > maxTextLength) return undefined;
    return { text, partition: partitionOf(key, embedder.id, split.scope) };
  };

  const embed = async (text: string): Promise<ArrayLike<number>> => {
    const known = vectors.get(text);
    if (known) return known;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`[semantic] ${embedder.id} took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref?.();
    });
    try {
      const [vector] = await Promise.race([embedder.embed([text]), timeout]);
      if (!vector || vector.length !== embedder.dimensions) {
        throw new Error(
          `[semantic] ${embedder.id} returned a vector of ${vector?.length ?? 0} numbers, not ${embedder.dimensions}`,
        );
      }
      if (vectors.size >= VECTOR_MEMO_SIZE) vectors.delete(vectors.keys().next().value!);
      vectors.set(text, vector);
      return vector;
    } catch (error) {
      counters.embedderFailures++;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  const rank = async (text: string, partition: string) => {
    const query = index.prepare(text, await embed(text));
    return decide(text, index.search(partition, query), options);
  };

  return {
    embedder,
    index,
    counters,
    storage,
    ready,

    async lookup(request, key, read): Promise<SemanticMatch | undefined> {
      if (storage) await ready;
      const target = eligible(request, key);
      if (!target || index.size(target.partition) === 0) {
        counters.skipped++;
        return undefined;
      }
      counters.lookups++;
      for (let attempt = 0; attempt <= MAX_DROPS_PER_LOOKUP; attempt++) {
        const decision = await rank(target.text, target.partition);
        if (!decision.served) {
          counters.refused++;
          return undefined;
        }
        const entry: CacheEntry | undefined = await read(decision.served.key);
        if (entry) {
          counters.served++;
          return {
            key: decision.served.key,
            entry,
            similarity: decision.served.score,
            matchedPrompt: decision.served.text,
          };
        }
        // Gone from the store: never served through the index again, and the next nearest gets its chance.
        if (index.remove(target.partition, decision.served.key))
          storage?.removed(target.partition, decision.served.key);
        counters.dropped++;
      }
      counters.refused++;
      return undefined;
    },

    remember(request, key, value) {
      let target: ReturnType<typeof eligible>;
      let answer: string;
      try {
        target = eligible(request, key);
        answer = answerOf(value);
      } catch {
        return;
      }
      if (!target) return;
      const { text, partition } = target;
      pending = pending.then(async () => {
        try {
          const prompt = { key, text, answer: digest(answer) };
          const vector = await embed(text);
          index.add(partition, prompt, vector);
          storage?.added(partition, prompt, vector);
        } catch {
          // Counted in embedderFailures; the entry is still served by its exact key.
        }
      });
    },

    async explain(request, key) {
      await ready;
      const target = eligible(request, key);
      if (!target)
        return {
          reason: 'not matched semantically: no text, or text longer than maxTextLength',
          candidates: [],
        };
      const decision = await rank(target.text, target.partition);
      return {
        text: target.text,
        partition: target.partition,
        reason: decision.reason,
        lead: decision.lead,
        candidates: decision.candidates.slice(0, 5),
        servedKey: decision.served?.key,
      };
    },

    async flush() {
      await pending;
      await storage?.flush();
    },

    async close() {
      await pending;
      await storage?.close();
    },
  };
}

/** The partition of a request: its namespace and key version, the embedder, and everything but the text. */
function partitionOf(key: string, embedderId: string, scope: unknown): string {
  const namespace = key.slice(0, key.lastIndexOf(':'));
  return digest(canonicalJson({ namespace, embedder: embedderId, scope }));
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
