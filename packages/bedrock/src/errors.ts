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

/**
 * The call that started a shared live stream was aborted (its `abortSignal` fired), which closes the one upstream
 * transfer every identical call in flight was reading. Those calls get this error instead of a stream that
 * looks complete but is not; retrying them starts a new upstream call.
 */
export class StreamInterruptedError extends PromptCacheError {
  constructor(cause?: unknown) {
    super(
      'UPSTREAM_FAILED',
      '[bedrock] the shared stream was cut short: the call that started it was aborted; retry the call',
      { cause },
    );
  }
}
