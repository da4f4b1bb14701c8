import type {
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import {
  type CacheStats,
  type CacheStore,
  type Clock,
  createPromptCache,
  type EncryptionOptions,
  type EntryMeta,
  InvalidOptionError,
  type PromptCache,
  systemClock,
} from '@prompt-cache/core';
import { isCacheableFinish, isValidStructuredOutput, textOfContent, textOfParts } from './cacheability.js';
import { fromJsonSafe, toJsonSafe } from './json-safe.js';
import { type KeyMaterial, keyMaterialOf } from './key-material.js';
import type {
  ModelCallOptions,
  ModelIdentity,
  WrapGenerateOptions,
  WrapStreamOptions,
} from './model-call.js';
import { type RecordedPart, recordStream, replayStream } from './stream-recording.js';

export interface PromptCacheMiddlewareOptions {
  /** Where answers are kept: any prompt-cache store (memory, file, Redis, Keyv, ...). */
  store: CacheStore;
  /** How long an answer stays, in seconds (`0` = no expiry). Default core's default (one day). */
  ttlSeconds?: number;
  /** Scope of the keys; caches in different namespaces never share entries. Default `'ai-sdk'`. */
  namespace?: string;
  /** Encrypts answers at rest (AES-256-GCM), as with every other prompt-cache layer. */
  encryption?: EncryptionOptions;
  /** HMAC secret for keys, so key names reveal nothing about prompts. */
  secret?: string | Uint8Array;
  /**
   * How a cached stream is replayed: `'immediate'` (every part at once) or `'original'` (with the gaps between
   * parts that the model had). Default `'immediate'`.
   */
  replay?: 'immediate' | 'original';
  /**
   * Store an answer whose structured output (JSON response format) does not parse against the requested schema.
   * Default `false`: such an answer is returned but never cached (AI SDK issue #9594).
   */
  cacheInvalidStructuredOutput?: boolean;
  /** Time source for expiry and stream timing. Default the system clock. */
  clock?: Clock;
  /** How `replay: 'original'` waits. Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  /** Statistics to record into (share one across layers). Default: a new `CacheStats`. */
  stats?: CacheStats;
  /** Longest wait for the store, in ms; a slower store counts as an error and the model answers. Default 1000. */
  storeTimeoutMs?: number;
}

type StoredValue =
  | { kind: 'generate'; result: unknown }
  | { kind: 'stream'; parts: unknown; response?: unknown; request?: unknown };

/**
 * The middleware, and the cache behind it (for `stats`, `explain`, `invalidate`, `clear`). It fits ai 6's
 * `LanguageModelV3Middleware` and ai 7's `LanguageModelMiddleware` (which takes V4 calls and any version tag): each
 * wrapper hands back the result type of the model it wraps.
 */
export interface PromptCacheMiddleware {
  readonly specificationVersion: 'v3';
  readonly cache: PromptCache<KeyMaterial, StoredValue>;
  wrapGenerate<Result>(options: WrapGenerateOptions<Result>): Promise<Result>;
  wrapStream<Result>(options: WrapStreamOptions<Result>): Promise<Result>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Caching middleware for the Vercel AI SDK: ai 6 (`LanguageModelV3Middleware`) and ai 7 (`LanguageModelV4Middleware`).
 * @example
 * const model = wrapLanguageModel({ model: bedrock('amazon.nova-lite-v1:0'), middleware: promptCacheMiddleware({ store }) });
 */
export function promptCacheMiddleware(options: PromptCacheMiddlewareOptions): PromptCacheMiddleware {
  if (!options?.store) {
    throw new InvalidOptionError(
      '[ai-sdk] promptCacheMiddleware needs a store, e.g. { store: createMemoryStore() }',
    );
  }
  if (options.replay !== undefined && options.replay !== 'immediate' && options.replay !== 'original') {
    throw new InvalidOptionError(
      `[ai-sdk] replay must be 'immediate' or 'original'; got ${String(options.replay)}`,
    );
  }
  const clock = options.clock ?? systemClock;
  const pacing = { original: options.replay === 'original', sleep: options.sleep ?? defaultSleep };
  const checkStructured = !options.cacheInvalidStructuredOutput;
  // The params of the call being stored, by its key material (cacheWhen only sees the material).
  const paramsOf = new WeakMap<KeyMaterial, ModelCallOptions>();
  // Keys of the streams this process is asking the model for right now.
  const streamsInFlight = new Set<string>();

  const cacheable = (value: StoredValue, material: KeyMaterial): boolean => {
    const params = paramsOf.get(material);
    if (value.kind === 'generate') {
      const result = value.result as LanguageModelV3GenerateResult;
      return (
        isCacheableFinish(result.finishReason) &&
        (!checkStructured || !params || isValidStructuredOutput(params, textOfContent(result.content)))
      );
    }
    const parts = (value.parts as RecordedPart[]).map((recorded) => recorded.part);
    const finish = parts.find((part) => part.type === 'finish');
    return (
      finish?.type === 'finish' &&
      !parts.some((part) => part.type === 'error') &&
      isCacheableFinish(finish.finishReason) &&
      (!checkStructured || !params || isValidStructuredOutput(params, textOfParts(parts)))
    );
  };

  // The store, TTL, encryption, secret, stats and timeout options are core's own, under the same names.
  const cache = createPromptCache<KeyMaterial, StoredValue>({
    ...options,
    namespace: options.namespace ?? 'ai-sdk',
    clock,
    cacheWhen: cacheable,
    describe: (value, material) => describeEntry(value, material),
  });

  const request = (operation: 'generate' | 'stream', params: ModelCallOptions, model: ModelIdentity) => {
    const material = keyMaterialOf({ operation, params, model });
    paramsOf.set(material, params);
    return material;
  };

  return {
    specificationVersion: 'v3',
    cache,

    async wrapGenerate<Result>({ doGenerate, params, model }: WrapGenerateOptions<Result>) {
      let fresh: Result | undefined;
      const outcome = await cache.getOrCompute(request('generate', params, model), async () => {
        fresh = await doGenerate();
        const { request: _sent, ...rest } = fresh as LanguageModelV3GenerateResult;
        return { kind: 'generate', result: toJsonSafe({ ...rest, response: withoutBody(rest.response) }) };
      });
      if (fresh) return fresh; // this call asked the model: hand over its own result, request body included
      if (outcome.value.kind !== 'generate')
        throw new Error('[ai-sdk] unreachable: a stream entry under a generate key');
      return fromJsonSafe<Result>(outcome.value.result);
    },

    async wrapStream<Result>(options: WrapStreamOptions<Result>) {
      // Stream results of V3 and V4 have one shape (a stream of parts, request, response headers).
      return (await wrapStream(
        options as unknown as WrapStreamOptions<LanguageModelV3StreamResult>,
      )) as Result;
    },
  };

  async function wrapStream({
    doStream,
    params,
    model,
  }: WrapStreamOptions<LanguageModelV3StreamResult>): Promise<LanguageModelV3StreamResult> {
    const material = request('stream', params, model);
    const key = cache.keyFor(material);
    const replay = (value: StoredValue): LanguageModelV3StreamResult => {
      if (value.kind !== 'stream')
        throw new Error('[ai-sdk] unreachable: a generate entry under a stream key');
      const response = fromJsonSafe<LanguageModelV3StreamResult['response']>(value.response);
      return {
        stream: replayStream(fromJsonSafe<RecordedPart[]>(value.parts), pacing),
        ...(response ? { response } : {}),
      };
    };
    // An identical stream is already on its way in this process: join it through core's single-flight, and hand
    // over at once a stream that replays it when it is complete (its reader may still be waiting for ours).
    if (streamsInFlight.has(key)) {
      const joined = cache.getOrCompute(material, () => Promise.reject(NOT_SHARED));
      return {
        stream: deferredStream(
          joined.then(
            (outcome) => replay(outcome.value).stream,
            () => doStream().then((own) => own.stream),
          ),
        ),
      };
    }

    let announceLive!: (result: LanguageModelV3StreamResult) => void;
    let failLive!: (error: unknown) => void;
    const live = new Promise<LanguageModelV3StreamResult>((resolve, reject) => {
      announceLive = resolve;
      failLive = reject;
    });
    // A miss streams live while it records; a hit (or a call another process made) replays the stored entry.
    const shared = cache.getOrCompute(material, async () => {
      let result: LanguageModelV3StreamResult;
      try {
        result = await doStream();
      } catch (error) {
        failLive(error);
        throw error;
      }
      return new Promise<StoredValue>((resolve, reject) => {
        const stream = recordStream(result.stream, clock, (recorded) => {
          if ('error' in recorded) reject(recorded.error);
          else
            resolve({
              kind: 'stream',
              parts: toJsonSafe(recorded.parts),
              response: toJsonSafe(result.response),
            });
        });
        announceLive({ ...result, stream });
      });
    });
    streamsInFlight.add(key);
    const done = () => streamsInFlight.delete(key);
    shared.then(done, done); // a live stream's failure reaches its caller through the stream itself
    const first = await Promise.race([
      live.then((result) => ({ live: result })),
      shared.then(
        (outcome) => ({ outcome }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if ('live' in first) return first.live;
    if ('error' in first) throw first.error;
    return replay(first.outcome.value);
  }
}

/** Rejects a joined call's own compute, which runs only when the call it joined has already finished. */
const NOT_SHARED = new Error('[ai-sdk] the stream this call joined had already finished');

/** A stream available at once whose parts come from a stream that is still to be made. */
function deferredStream<T>(source: Promise<ReadableStream<T>>): ReadableStream<T> {
  let reader: ReadableStreamDefaultReader<T> | undefined;
  return new ReadableStream<T>({
    async pull(controller) {
      reader ??= (await source).getReader();
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
}

function withoutBody<T extends { body?: unknown } | undefined>(response: T): T {
  if (!response) return response;
  const { body: _body, ...rest } = response;
  return rest as T;
}

function describeEntry(value: StoredValue, material: KeyMaterial): EntryMeta {
  const usage =
    value.kind === 'generate'
      ? (value.result as { usage?: LanguageModelV3Usage }).usage
      : (
          (value.parts as RecordedPart[]).find((recorded) => recorded.part.type === 'finish')?.part as
            | Extract<LanguageModelV3StreamPart, { type: 'finish' }>
            | undefined
        )?.usage;
  return {
    model: material.modelId,
    provider: material.provider,
    ...(usage
      ? {
          usage: {
            inputTokens: usage.inputTokens?.total ?? 0,
            outputTokens: usage.outputTokens?.total ?? 0,
            ...(usage.inputTokens?.cacheRead ? { cacheReadInputTokens: usage.inputTokens.cacheRead } : {}),
            ...(usage.inputTokens?.cacheWrite ? { cacheWriteInputTokens: usage.inputTokens.cacheWrite } : {}),
          },
        }
      : {}),
  };
}
