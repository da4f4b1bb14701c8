import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
  InitializeMiddleware,
} from '@smithy/types';
import { cacheControlOf } from './cache-control.js';
import type { CachedSend, SendCall } from './cached-send.js';
import { type BedrockOperation, isStreamingOperation, operationOfCommandName } from './operations.js';
import { sendStream } from './stream-send.js';
import { sendUnary } from './unary-send.js';
import type { UpstreamResult } from './upstream-result.js';

/** The name of the middleware in the client's stack. */
export const MIDDLEWARE_NAME = 'promptCacheMiddleware';

/**
 * Where the middleware sits: at the `initialize` step, so a hit skips serialization, endpoint resolution,
 * signing, retries and the network. Low priority keeps it inside the SDK's logger, which then logs hits too.
 */
export const MIDDLEWARE_OPTIONS = {
  name: MIDDLEWARE_NAME,
  step: 'initialize',
  priority: 'low',
  tags: ['PROMPT_CACHE'],
  override: false,
} as const;

type Input = Record<string, unknown>;
type Output = Record<string, unknown> & { $metadata: Record<string, unknown> };

/** The middleware: caches the operations in `operations`, passes every other command through untouched. */
export function createPromptCacheMiddleware(
  send: CachedSend,
  operations: ReadonlySet<BedrockOperation>,
): InitializeMiddleware<Input, Output> {
  return (next: InitializeHandler<Input, Output>, handlerContext: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<Input>): Promise<InitializeHandlerOutput<Output>> => {
      const operation = operationOfCommandName(handlerContext.commandName);
      if (!operation || !operations.has(operation)) return next(args);
      const smithyContext = handlerContext.__smithy_context as
        | { commandInstance?: unknown; abortSignal?: AbortSignal }
        | undefined;
      const call: SendCall = {
        operation,
        request: { operation, input: args.input },
        control: cacheControlOf(args, smithyContext?.commandInstance),
        signal: smithyContext?.abortSignal,
        started: performance.now(),
      };
      const upstream = () => next(args) as Promise<UpstreamResult>;
      const result = isStreamingOperation(operation)
        ? await sendStream(send, call, upstream)
        : await sendUnary(send, call, upstream);
      return result as InitializeHandlerOutput<Output>;
    };
}
