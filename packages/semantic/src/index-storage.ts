import { endianness } from 'node:os';
import { InvalidOptionError, isValidNamespace } from '@prompt-cache/core';
import type { IndexedPrompt, SemanticIndex } from './semantic-index.js';

/** What a storage is given when the stage opens it. */
export interface IndexStorageContext {
  /** The stage's index: the storage fills it with what was saved, and applies other processes' changes to it. */
  index: SemanticIndex;
  /** The embedder's id: a storage keeps the vectors of one embedder apart from another's. */
  embedderId: string;
  /** Reports a problem in one line (a corrupt file, an unreachable Redis). Never throws. */
  report(error: Error): void;
}

/**
 * Where the index outlives the process: {@link fileIndex} beside a file store, {@link redisIndex} in Redis (shared
 * by every process). The stage opens it once, then mirrors each change of its index into it. A storage never
 * fails a caller: what it cannot read or write is reported and the index carries on in memory.
 */
export interface IndexStorage {
  /** A short description for messages, e.g. `file /var/cache/prompt-cache/semantic-index.use-lite-512.jsonl`. */
  readonly name: string;
  /** Fills `context.index` with what was saved (and follows what other processes add). Never rejects. */
  open(context: IndexStorageContext): Promise<void>;
  /** The stage added (or replaced) a prompt. */
  added(partition: string, prompt: IndexedPrompt, vector: ArrayLike<number>): void;
  /** The stage dropped a prompt (its entry is gone from the store). */
  removed(partition: string, key: string): void;
  /** Resolves once every change so far is saved. */
  flush(): Promise<void>;
  /** Saves what is pending and releases connections and timers. */
  close(): Promise<void>;
}

/** Vectors are saved little-endian whatever the machine, so that a file or a Redis index moves between machines. */
const BIG_ENDIAN = endianness() === 'BE';

/** One saved prompt, as both storages encode it: its vector as base64 of little-endian float32. */
export interface StoredPrompt {
  /** Prompt text. */
  t: string;
  /** Answer id. */
  a: string;
  /** Vector: base64 of float32 (little-endian). */
  v: string;
}

export function encodePrompt(prompt: IndexedPrompt, vector: ArrayLike<number>): StoredPrompt {
  const bytes = Buffer.from(Float32Array.from(vector).buffer);
  if (BIG_ENDIAN) bytes.swap32();
  return { t: prompt.text, a: prompt.answer, v: bytes.toString('base64') };
}

/** The prompt and vector of a stored record, or `undefined` when the record is not one. */
export function decodePrompt(
  key: string,
  stored: unknown,
): { prompt: IndexedPrompt; vector: Float32Array } | undefined {
  const record = stored as Partial<StoredPrompt> | null;
  if (typeof record?.t !== 'string' || typeof record.a !== 'string' || typeof record.v !== 'string')
    return undefined;
  // A copy: the decoded bytes may sit at an offset a Float32Array cannot start at.
  const bytes = new Uint8Array(Buffer.from(record.v, 'base64'));
  if (bytes.length % 4 !== 0) return undefined;
  if (BIG_ENDIAN) Buffer.from(bytes.buffer).swap32();
  return { prompt: { key, text: record.t, answer: record.a }, vector: new Float32Array(bytes.buffer) };
}

/**
 * Adds a stored prompt to the index; `false` (nothing added) for a malformed record or a vector of another
 * length (an index saved with another embedder).
 */
export function restorePrompt(
  index: SemanticIndex,
  partition: string,
  key: string,
  stored: unknown,
): boolean {
  const decoded = decodePrompt(key, stored);
  if (!decoded || decoded.vector.length !== index.dimensions) return false;
  index.add(partition, decoded.prompt, decoded.vector);
  return true;
}

/** Calls `report` for the first failure only, until `recovered()` says things work again: one line per outage. */
export function reportOnce(report: (error: Error) => void) {
  let failing = false;
  return {
    failed(error: unknown) {
      if (failing) return;
      failing = true;
      report(error instanceof Error ? error : new Error(String(error)));
    },
    recovered() {
      failing = false;
    },
  };
}

/**
 * `.<namespace>`, the part of a file name or key that keeps one namespace's index apart; `''` without one. A
 * namespace is made of letters, digits, '.', '_' and '-': safe in a file name and inside a Redis hash tag.
 */
export function namespaceSuffix(namespace: string | undefined, storage: string): string {
  if (namespace === undefined) return '';
  if (typeof namespace !== 'string' || !isValidNamespace(namespace)) {
    throw new InvalidOptionError(
      `[semantic] ${storage}'s namespace ${JSON.stringify(namespace)} is invalid; use the cache's namespace (1-64 letters, digits, '.', '_' or '-')`,
    );
  }
  return `.${namespace}`;
}
