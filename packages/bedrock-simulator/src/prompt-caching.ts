import { type Clock, systemClock } from './clock.js';
import { sha256Hex } from './deterministic-random.js';

/**
 * One piece of a prompt, in the order the model reads it (tools, then system, then messages).
 * A `cachePoint` marks the end of a prefix that Bedrock may cache.
 */
export type PromptBlock = { kind: 'content'; key: string; tokens: number } | { kind: 'cachePoint' };

/** How a prompt's input tokens split between fresh input and Bedrock's prompt cache. */
export interface PromptCacheUsage {
  /** Tokens processed normally (not read from or written to the cache). */
  inputTokens: number;
  /** Tokens read from the prompt cache (a prefix seen within the TTL). */
  cacheReadInputTokens: number;
  /** Tokens written to the prompt cache (a prefix seen for the first time). */
  cacheWriteInputTokens: number;
  /** Whether the prompt held at least one usable cache point. */
  usedCachePoints: boolean;
}

/** Options of {@link createPromptCache}. */
export interface PromptCacheOptions {
  /** Where the time comes from. Default: `Date.now()`. */
  clock?: Clock;
  /** How long a cached prefix lives after its last use, in ms. Default: `300_000` (5 minutes, like Bedrock). */
  ttlMs?: number;
  /**
   * The smallest prefix (in tokens) that a cache point may cache; shorter prefixes are ignored, as Bedrock
   * does (1,024 tokens for many Claude models). Default: `0` (every cache point counts), so short demo
   * prompts show the effect.
   */
  minimumTokens?: number;
}

/** The simulated Bedrock prompt cache: prefixes before `cachePoint` blocks, per model, with a TTL. */
export interface PromptCache {
  /** Accounts a prompt's input tokens and records the prefixes it writes or refreshes. */
  account(modelId: string, blocks: readonly PromptBlock[]): PromptCacheUsage;
  /** Forgets every cached prefix. */
  clear(): void;
  /** How many prefixes are cached now (expired ones excluded). */
  size(): number;
}

/** Creates the simulated prompt cache behind `cachePoint` blocks. */
export function createPromptCache(options: PromptCacheOptions = {}): PromptCache {
  const clock = options.clock ?? systemClock;
  const ttlMs = options.ttlMs ?? 300_000;
  const minimumTokens = options.minimumTokens ?? 0;
  /** Prefix key → when it expires. */
  const expiries = new Map<string, number>();

  const isLive = (key: string, now: number): boolean => {
    const expiresAt = expiries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt <= now) {
      expiries.delete(key);
      return false;
    }
    return true;
  };

  return {
    account(modelId, blocks) {
      const now = clock.now();
      let total = 0;
      const prefixHashes: string[] = [];
      const checkpoints: Array<{ key: string; tokens: number }> = [];
      for (const block of blocks) {
        if (block.kind === 'content') {
          total += block.tokens;
          prefixHashes.push(block.key);
        } else if (total > 0 && total >= minimumTokens) {
          const key = sha256Hex(`${modelId}\n${prefixHashes.join('\n')}`);
          if (checkpoints.at(-1)?.key !== key) checkpoints.push({ key, tokens: total });
        }
      }
      if (checkpoints.length === 0) {
        return {
          inputTokens: total,
          cacheReadInputTokens: 0,
          cacheWriteInputTokens: 0,
          usedCachePoints: false,
        };
      }
      let readIndex = -1;
      for (let index = checkpoints.length - 1; index >= 0; index -= 1) {
        if (isLive((checkpoints[index] as { key: string }).key, now)) {
          readIndex = index;
          break;
        }
      }
      const readTokens = readIndex >= 0 ? (checkpoints[readIndex] as { tokens: number }).tokens : 0;
      const lastTokens = (checkpoints.at(-1) as { tokens: number }).tokens;
      // Reading a prefix refreshes it; every later cache point is written now.
      for (const checkpoint of checkpoints) expiries.set(checkpoint.key, now + ttlMs);
      return {
        inputTokens: total - lastTokens,
        cacheReadInputTokens: readTokens,
        cacheWriteInputTokens: lastTokens - readTokens,
        usedCachePoints: true,
      };
    },
    clear() {
      expiries.clear();
    },
    size() {
      const now = clock.now();
      for (const key of [...expiries.keys()]) isLive(key, now);
      return expiries.size;
    },
  };
}
