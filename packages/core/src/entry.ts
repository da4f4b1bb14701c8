/** Version of the entry envelope. Stores refuse envelopes of another version (they read as a miss). */
export const ENTRY_SCHEMA_VERSION = 1;

/** Token counts of one model call, as Bedrock reports them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens?: number;
  /** Input tokens read from Bedrock's own prompt cache (billed at the cache-read price). */
  cacheReadInputTokens?: number;
  /** Input tokens written to Bedrock's own prompt cache (billed at the cache-write price). */
  cacheWriteInputTokens?: number;
}

/** Every token a call was billed for: input, output, and Bedrock's cache reads and writes. */
export function billedTokens(usage: TokenUsage | undefined): number {
  if (!usage) return 0;
  return (
    (usage.inputTokens ?? 0) +
    (usage.outputTokens ?? 0) +
    (usage.cacheReadInputTokens ?? 0) +
    (usage.cacheWriteInputTokens ?? 0)
  );
}

/** What a hit saved: the original call's latency (less the hit's own), its cost and its tokens. */
export function savedOf(meta: EntryMeta, latencyMs: number): { ms: number; usd: number; tokens: number } {
  return {
    ms: Math.max(0, (meta.latencyMs ?? 0) - latencyMs),
    usd: meta.costUsd ?? 0,
    tokens: billedTokens(meta.usage),
  };
}

/** What a hit needs to know to report what it saved. Written once, when the entry is stored. */
export interface EntryMeta {
  /** Model id the answer came from. */
  model?: string;
  /** Who answered: `bedrock`, `simulator`, or a name of your own. */
  provider?: string;
  usage?: TokenUsage;
  /** Cost of the original call in USD, or `null` when the model's price is unknown. */
  costUsd?: number | null;
  /** Latency of the original call in milliseconds: the time each hit saves. */
  latencyMs?: number;
  /** Free-form labels, e.g. for invalidation by tag. */
  tags?: string[];
  /** Anything else a layer wants to keep beside the value (JSON-serializable). */
  extra?: Record<string, unknown>;
}

/** The envelope every store keeps. `value` is already encoded by the cache's codec. */
export interface CacheEntry {
  /** Envelope schema version ({@link ENTRY_SCHEMA_VERSION}). */
  version: number;
  /** The encoded value: text for the JSON codec, bytes for binary or encrypted codecs. */
  value: string | Uint8Array;
  /** When the entry was created (epoch ms). */
  createdAt: number;
  /** When the entry expires (epoch ms), or `null` for no expiry. */
  expiresAt: number | null;
  meta: EntryMeta;
  /**
   * The decoded value, deep-frozen. Only in-process stores (`flags.inProcess`) keep it, so that a hit copies a
   * structure instead of decoding text. Never serialized.
   */
  decoded?: unknown;
}

/** True when the entry has expired at `now`. Every read path checks this with the injected clock. */
export function isExpired(entry: Pick<CacheEntry, 'expiresAt'>, now: number): boolean {
  return entry.expiresAt !== null && entry.expiresAt <= now;
}

/** Size in bytes of the encoded value (what `maxBytes` and `maxEntryBytes` count). */
export function encodedSize(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
}
