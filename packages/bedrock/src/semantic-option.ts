import type { SemanticStage } from '@prompt-cache/core';
import type { SemanticCache, SemanticExplanation, SemanticOptions } from '@prompt-cache/semantic';
import type { BedrockCacheRequest } from './cache-request.js';
import { answerTextOf, splitConverse } from './semantic-split.js';

/** `semantic` of `withPromptCache`: `true` for the defaults, or the decision rule and embedder to use. */
export type BedrockSemanticOption =
  | boolean
  | Omit<SemanticOptions<BedrockCacheRequest>, 'split' | 'answerOf'>;

/** The semantic stage of a cached client, and what it needs besides the orchestrator's calls. */
export interface BedrockSemantic extends SemanticStage<BedrockCacheRequest> {
  /** The stage itself, once `@prompt-cache/semantic` is loaded (on the first Converse or ConverseStream miss). */
  loaded(): Promise<SemanticCache<BedrockCacheRequest>>;
  explain(request: BedrockCacheRequest, key: string): Promise<SemanticExplanation>;
  /** Resolves once every stored answer is in the index. */
  flush(): Promise<void>;
}

/**
 * A semantic stage that loads `@prompt-cache/semantic` (an optional peer dependency) on first use, so a client
 * without `semantic` never loads it, and one with it pays for the import only when a Converse or
 * ConverseStream call misses.
 */
export function createBedrockSemantic(option: BedrockSemanticOption): BedrockSemantic | undefined {
  if (!option) return undefined;
  const settings = option === true ? {} : option;
  let stage: Promise<SemanticCache<BedrockCacheRequest>> | undefined;
  let remembered: Promise<unknown> = Promise.resolve();
  const loaded = () => {
    stage ??= import('@prompt-cache/semantic').then(({ createSemanticStage }) =>
      createSemanticStage<BedrockCacheRequest>({ ...settings, split: splitConverse, answerOf: answerTextOf }),
    );
    return stage;
  };
  return {
    loaded,
    lookup: async (request, key, read) =>
      splitConverse(request) ? (await loaded()).lookup(request, key, read) : undefined,
    remember(request, key, value) {
      if (!splitConverse(request)) return;
      remembered = Promise.all([
        remembered,
        loaded().then((semantic) => semantic.remember(request, key, value)),
      ]).catch(() => undefined);
    },
    explain: async (request, key) => (await loaded()).explain(request, key),
    async flush() {
      await remembered;
      if (stage) await (await stage).flush();
    },
    async close() {
      await remembered;
      if (stage) await (await stage).close();
    },
  };
}
