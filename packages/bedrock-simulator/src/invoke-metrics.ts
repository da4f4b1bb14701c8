import type { ModelResult } from './simulated-model.js';

/** The `amazon-bedrock-invocationMetrics` object Bedrock adds to the last chunk of a native stream. */
export function invocationMetrics(result: ModelResult): Record<string, number> {
  const { usage, latency } = result;
  return {
    inputTokenCount: usage.inputTokens,
    outputTokenCount: usage.outputTokens,
    invocationLatency: latency.totalMs,
    firstByteLatency: latency.firstTokenMs,
    ...(usage.usedCachePoints
      ? {
          cacheReadInputTokenCount: usage.cacheReadInputTokens,
          cacheWriteInputTokenCount: usage.cacheWriteInputTokens,
        }
      : {}),
  };
}

/** The `x-amzn-bedrock-*` headers Bedrock sends with an InvokeModel response. */
export function invokeHeaders(result: ModelResult): Record<string, string> {
  const { usage, latency } = result;
  return {
    'x-amzn-bedrock-input-token-count': String(usage.inputTokens),
    'x-amzn-bedrock-output-token-count': String(usage.outputTokens),
    'x-amzn-bedrock-invocation-latency': String(latency.totalMs),
    ...(usage.usedCachePoints
      ? {
          'x-amzn-bedrock-cache-read-input-token-count': String(usage.cacheReadInputTokens),
          'x-amzn-bedrock-cache-write-input-token-count': String(usage.cacheWriteInputTokens),
        }
      : {}),
  };
}
