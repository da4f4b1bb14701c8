import {
  type ContentBlock,
  ConverseCommand,
  ConverseStreamCommand,
  type TokenUsage as SdkTokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { type CacheInfo, cacheInfo, withCacheControl } from '@prompt-cache/bedrock';
import type { TokenUsage } from '@prompt-cache/core';
import { round } from '@prompt-cache/core/store-kit';
import type { AppSession, AskOptions, AskResult, AskStream, AskUsage } from './app-session.js';
import type { ConverseInput } from './converse-input.js';
import type { Provider } from './model-client.js';

interface AskContext {
  session: AppSession;
  input: ConverseInput;
  call: AskOptions;
}

/** Sends one Converse call through the cached client and reads what the cache did. */
export async function askOnce({ session, input, call }: AskContext): Promise<AskResult> {
  const started = performance.now();
  const command = withCacheControl(new ConverseCommand(input), controlOf(call));
  const response = await session.connection.client.send(command);
  const elapsedMs = performance.now() - started;
  const info = cacheInfo(response);
  return resultOf(session, input, info, {
    text: textOf(response.output?.message?.content),
    usage: response.usage,
    stopReason: response.stopReason,
    latencyMs: info?.latencyMs ?? elapsedMs,
  });
}

/** Sends one ConverseStream call through the cached client; a hit replays the recorded events. */
export function askStreaming({ session, input, call }: AskContext): AskStream {
  let settle!: { resolve: (result: AskResult) => void; reject: (error: unknown) => void };
  const result = new Promise<AskResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The error reaches whoever iterates `text`; nobody has to await `result` as well.
  result.catch(() => undefined);

  async function* text(): AsyncGenerator<string> {
    const started = performance.now();
    try {
      const command = withCacheControl(new ConverseStreamCommand(input), controlOf(call));
      const response = await session.connection.client.send(command);
      const info = cacheInfo(response);
      let collected = '';
      let usage: SdkTokenUsage | undefined;
      let stopReason: string | undefined;
      for await (const event of response.stream ?? []) {
        const delta = event.contentBlockDelta?.delta?.text;
        if (delta) {
          collected += delta;
          yield delta;
        }
        if (event.messageStop?.stopReason) stopReason = event.messageStop.stopReason;
        if (event.metadata?.usage) usage = event.metadata.usage;
      }
      const latencyMs = performance.now() - started;
      const final = info ? await info.settled : undefined;
      settle.resolve(resultOf(session, input, final, { text: collected, usage, stopReason, latencyMs }));
    } catch (error) {
      settle.reject(error);
      throw error;
    }
  }
  return { text: text(), result };
}

function controlOf(call: AskOptions) {
  return {
    ...(call.mode === undefined ? {} : { mode: call.mode }),
    ...(call.ttlSeconds === undefined ? {} : { ttlSeconds: call.ttlSeconds }),
    ...(call.tags === undefined ? {} : { tags: call.tags }),
  };
}

interface Answer {
  text: string;
  usage: SdkTokenUsage | undefined;
  stopReason: string | undefined;
  latencyMs: number;
}

function resultOf(
  session: AppSession,
  input: ConverseInput,
  info: CacheInfo | undefined,
  answer: Answer,
): AskResult {
  const status = info?.status ?? 'bypass';
  const meta = info?.meta ?? {};
  const model = meta.model ?? input.modelId;
  const usage = usageOf(meta.usage ?? answer.usage);
  const hit = status === 'hit';
  let costUsd: number | null;
  if (hit) costUsd = 0;
  else if (meta.costUsd !== undefined) costUsd = meta.costUsd === null ? null : round(meta.costUsd, 12);
  else {
    const cost = usage ? session.costOf(model, usage) : null;
    costUsd = cost === null ? null : round(cost, 12);
  }
  const semantic = hit ? info?.semantic : undefined;
  return {
    cached: hit,
    status,
    cache: semantic ? 'semantic-hit' : status,
    similarity: semantic ? round(semantic.similarity, 4) : null,
    matchedPrompt: semantic?.matchedPrompt ?? null,
    matchedKey: semantic?.matchedKey ?? null,
    key: info?.key || session.keyFor(input),
    text: answer.text,
    model,
    provider: providerOf(meta.provider, session.provider),
    usage,
    costUsd,
    savedUsd: hit ? round(info?.saved.usd ?? 0, 12) : 0,
    savedMs: hit ? round(info?.saved.ms ?? 0, 3) : 0,
    latencyMs: round(answer.latencyMs, 3),
    originalLatencyMs: meta.latencyMs ?? (hit ? undefined : round(answer.latencyMs, 3)),
    stored: info?.stored ?? false,
    notStoredReason: info?.notStoredDetail ?? info?.notStoredReason,
    notStoredCode: info?.notStoredCode,
    stopReason: answer.stopReason,
    tags: meta.tags,
  };
}

function providerOf(recorded: string | undefined, fallback: Provider): Provider {
  return recorded === 'simulator' || recorded === 'bedrock' ? recorded : fallback;
}

function usageOf(usage: TokenUsage | SdkTokenUsage | undefined): AskUsage | null {
  if (!usage) return null;
  const inputTokens = usage.inputTokens ?? 0;
  const outputTokens = usage.outputTokens ?? 0;
  const result: AskUsage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.totalTokens ?? inputTokens + outputTokens,
  };
  if (usage.cacheReadInputTokens) result.cacheReadInputTokens = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens) result.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  return result;
}

/** The text blocks of an answer, joined. */
export function textOf(content: ContentBlock[] | undefined): string {
  return (content ?? [])
    .map((block) => ('text' in block && typeof block.text === 'string' ? block.text : ''))
    .join('');
}
