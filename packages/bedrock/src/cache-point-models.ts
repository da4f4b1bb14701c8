import { baseModelId } from './model-id.js';

/** What Bedrock's prompt caching allows for one model. */
export interface CachePointModel {
  /** Fewest tokens a checkpoint's segment (the prompt since the previous checkpoint) must hold. */
  minimumTokens: number;
  /** Whether a checkpoint may follow the tool list (Claude only). */
  toolCheckpoints: boolean;
  /** Whether checkpoints take a `ttl` (`'5m'` or `'1h'`). */
  ttl: boolean;
}

/** Most checkpoints Bedrock accepts in one request. */
export const MAX_CACHE_CHECKPOINTS = 4;

// Bedrock's prompt-caching table. The first pattern that matches wins, so 4.5 models come before their 4.x family.
const MODELS: ReadonlyArray<{ pattern: RegExp; model: CachePointModel }> = [
  {
    pattern: /^anthropic\.claude-sonnet-4-5/,
    model: { minimumTokens: 4096, toolCheckpoints: true, ttl: true },
  },
  {
    pattern: /^anthropic\.claude-haiku-4-5/,
    model: { minimumTokens: 4096, toolCheckpoints: true, ttl: true },
  },
  {
    pattern: /^anthropic\.claude-opus-4-5/,
    model: { minimumTokens: 4096, toolCheckpoints: true, ttl: true },
  },
  {
    pattern: /^anthropic\.claude-sonnet-4/,
    model: { minimumTokens: 1024, toolCheckpoints: true, ttl: false },
  },
  { pattern: /^anthropic\.claude-opus-4/, model: { minimumTokens: 1024, toolCheckpoints: true, ttl: false } },
  {
    pattern: /^anthropic\.claude-3-7-sonnet/,
    model: { minimumTokens: 1024, toolCheckpoints: true, ttl: false },
  },
  {
    pattern: /^anthropic\.claude-3-5-haiku/,
    model: { minimumTokens: 2048, toolCheckpoints: true, ttl: false },
  },
  {
    pattern: /^amazon\.nova-(?:micro|lite|pro|premier)-/,
    model: { minimumTokens: 1000, toolCheckpoints: false, ttl: false },
  },
];

/**
 * Bedrock's prompt-caching rules for a model id (base id, inference profile or ARN), or `undefined` for a model
 * without prompt caching (or one this package does not know yet).
 * @example cachePointModelOf('us.anthropic.claude-3-5-haiku-20241022-v1:0')?.minimumTokens // 2048
 */
export function cachePointModelOf(modelId: string): CachePointModel | undefined {
  const base = baseModelId(modelId);
  return MODELS.find(({ pattern }) => pattern.test(base))?.model;
}
