import { PromptCacheError } from '@prompt-cache/core';

/**
 * Every consumer of a live stream stopped reading before its end, so the upstream stream was cancelled.
 * Nobody sees this error: it tells the cache that the partial recording must not be stored.
 */
export class StreamAbandonedError extends PromptCacheError {
  constructor() {
    super(
      'UPSTREAM_FAILED',
      '[bedrock] every consumer stopped reading the stream before its end; the partial stream was not cached',
    );
  }
}
