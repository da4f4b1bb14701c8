import type { TokenUsage } from '@prompt-cache/core';
import { type NativeFamily, nativeFamilyOf } from './model-id.js';
import { objectOf, type RecordedEvent, type ResponseSummary, tokenUsage } from './recorded-response.js';

type Json = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses bytes as a JSON object, or returns `undefined`. */
function parseJsonObject(bytes: Uint8Array | undefined): Json | undefined {
  if (!bytes) return undefined;
  try {
    return objectOf(JSON.parse(utf8.decode(bytes)));
  } catch {
    return undefined;
  }
}

function isJsonContentType(contentType: unknown): boolean {
  return typeof contentType !== 'string' || contentType === '' || /json/i.test(contentType);
}

function header(headers: Record<string, unknown> | undefined, name: string): unknown {
  if (!headers) return undefined;
  if (name in headers) return headers[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Usage from the `x-amzn-bedrock-*-token-count` headers Bedrock sends with every InvokeModel answer. */
export function usageFromHeaders(headers: Record<string, unknown> | undefined): TokenUsage | undefined {
  return tokenUsage({
    inputTokens: header(headers, 'x-amzn-bedrock-input-token-count'),
    outputTokens: header(headers, 'x-amzn-bedrock-output-token-count'),
    cacheReadInputTokens: header(headers, 'x-amzn-bedrock-cache-read-input-token-count'),
    cacheWriteInputTokens: header(headers, 'x-amzn-bedrock-cache-write-input-token-count'),
  });
}

/** Usage in a native answer body (Anthropic, Nova or Titan words). */
function usageFromBody(body: Json): TokenUsage | undefined {
  const usage = objectOf(body.usage);
  if (usage && ('input_tokens' in usage || 'output_tokens' in usage)) {
    return tokenUsage({
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadInputTokens: usage.cache_read_input_tokens,
      cacheWriteInputTokens: usage.cache_creation_input_tokens,
    });
  }
  if (usage) {
    return tokenUsage({
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      totalTokens: usage.totalTokens,
      cacheReadInputTokens: usage.cacheReadInputTokenCount ?? usage.cacheReadInputTokens,
      cacheWriteInputTokens: usage.cacheWriteInputTokenCount ?? usage.cacheWriteInputTokens,
    });
  }
  const firstResult = Array.isArray(body.results) ? objectOf(body.results[0]) : undefined;
  if ('inputTextTokenCount' in body) {
    return tokenUsage({ inputTokens: body.inputTextTokenCount, outputTokens: firstResult?.tokenCount ?? 0 });
  }
  return undefined;
}

/** Usage from the `amazon-bedrock-invocationMetrics` Bedrock adds to the last chunk of a native stream. */
function usageFromInvocationMetrics(chunk: Json): TokenUsage | undefined {
  const metrics = objectOf(chunk['amazon-bedrock-invocationMetrics']);
  if (!metrics) return undefined;
  return tokenUsage({
    inputTokens: metrics.inputTokenCount,
    outputTokens: metrics.outputTokenCount,
    cacheReadInputTokens: metrics.cacheReadInputTokenCount,
    cacheWriteInputTokens: metrics.cacheWriteInputTokenCount,
  });
}

function firstOf(list: unknown): Json | undefined {
  return Array.isArray(list) ? objectOf(list[0]) : undefined;
}

/** The stop reason of a native answer body, under the names the model families use. */
function stopReasonOf(body: Json): string | undefined {
  const candidates = [
    body.stop_reason, // Anthropic, Meta Llama
    body.stopReason, // Amazon Nova
    firstOf(body.results)?.completionReason, // Titan Text
    firstOf(body.outputs)?.stop_reason, // Mistral
    firstOf(body.generations)?.finish_reason, // Cohere
    firstOf(body.choices)?.finish_reason, // OpenAI-compatible models
  ];
  const found = candidates.find((candidate) => typeof candidate === 'string');
  return found as string | undefined;
}

function intervened(body: Json): boolean {
  return body['amazon-bedrock-guardrailAction'] === 'INTERVENED';
}

/**
 * Reads an InvokeModel answer: its stop reason (whatever the model family calls it), a guardrail
 * intervention, and the usage (from Bedrock's headers, else from the body). A body that claims to be JSON
 * and is not is malformed. A body without a stop reason (embeddings, images) is complete.
 */
export function summarizeInvokeBody(
  body: Uint8Array,
  contentType: unknown,
  headers: Record<string, unknown> | undefined,
): ResponseSummary {
  const summary: ResponseSummary = { complete: true };
  const parsed = isJsonContentType(contentType) ? parseJsonObject(body) : undefined;
  if (isJsonContentType(contentType) && !parsed) {
    summary.complete = false;
    summary.problem = 'the body is not a JSON object';
  }
  const usage = usageFromHeaders(headers) ?? (parsed ? usageFromBody(parsed) : undefined);
  if (usage) summary.usage = usage;
  if (parsed) {
    const stopReason = stopReasonOf(parsed);
    if (stopReason !== undefined) summary.stopReason = stopReason;
    if (intervened(parsed)) summary.guardrailIntervened = true;
  }
  return summary;
}

interface ChunkScan {
  ended: boolean;
  stopReason?: string;
  usage?: TokenUsage;
}

/** Anthropic: message_start (input usage), message_delta (stop reason, output tokens), message_stop (the end). */
function scanClaude(chunks: Json[]): ChunkScan {
  const scan: ChunkScan = { ended: false };
  let input: Json = {};
  let outputTokens: unknown;
  for (const chunk of chunks) {
    if (chunk.type === 'message_start') input = objectOf(objectOf(chunk.message)?.usage) ?? {};
    if (chunk.type === 'message_delta') {
      const stopReason = objectOf(chunk.delta)?.stop_reason;
      if (typeof stopReason === 'string') scan.stopReason = stopReason;
      outputTokens = objectOf(chunk.usage)?.output_tokens ?? outputTokens;
    }
    if (chunk.type === 'message_stop') scan.ended = scan.stopReason !== undefined;
  }
  const usage = tokenUsage({
    inputTokens: input.input_tokens,
    outputTokens,
    cacheReadInputTokens: input.cache_read_input_tokens,
    cacheWriteInputTokens: input.cache_creation_input_tokens,
  });
  if (usage) scan.usage = usage;
  return scan;
}

/** Nova: `{ messageStop: { stopReason } }` ends the answer; `{ metadata: { usage } }` follows it. */
function scanNova(chunks: Json[]): ChunkScan {
  const scan: ChunkScan = { ended: false };
  for (const chunk of chunks) {
    const messageStop = objectOf(chunk.messageStop);
    if (messageStop && typeof messageStop.stopReason === 'string') {
      scan.stopReason = messageStop.stopReason;
      scan.ended = true;
    }
    const usage = objectOf(objectOf(chunk.metadata)?.usage);
    if (usage) scan.usage = usageFromBody({ usage });
  }
  return scan;
}

/** Titan Text: every chunk has `completionReason`, `null` until the last one. */
function scanTitan(chunks: Json[]): ChunkScan {
  const scan: ChunkScan = { ended: false };
  const last = chunks.at(-1);
  if (last && typeof last.completionReason === 'string') {
    scan.ended = true;
    scan.stopReason = last.completionReason;
    const usage = tokenUsage({
      inputTokens: last.inputTextTokenCount,
      outputTokens: last.totalOutputTextTokenCount,
    });
    if (usage) scan.usage = usage;
  }
  return scan;
}

const SCANNERS: Record<Exclude<NativeFamily, 'other'>, (chunks: Json[]) => ChunkScan> = {
  claude: scanClaude,
  nova: scanNova,
  'titan-text': scanTitan,
};

/**
 * Reads an InvokeModelWithResponseStream recording from its native chunks. Completeness is judged per model
 * family (Anthropic `message_stop` after a stop reason, Nova `messageStop`, Titan a final `completionReason`).
 * For other families, or chunks that are not JSON, the recording counts as incomplete: when unsure, do not cache.
 */
export function summarizeInvokeStream(
  events: readonly RecordedEvent[],
  modelId: string | undefined,
): ResponseSummary {
  const chunks: Json[] = [];
  for (const { event } of events) {
    const bytes = objectOf(event.chunk)?.bytes;
    if (bytes === undefined) continue;
    const chunk = bytes instanceof Uint8Array ? parseJsonObject(bytes) : undefined;
    if (!chunk) return { complete: false, problem: 'a chunk is not a JSON object' };
    chunks.push(chunk);
  }
  const family = nativeFamilyOf(modelId);
  if (family === 'other') {
    return { complete: false, problem: `the end of a ${String(modelId)} stream cannot be recognized` };
  }
  const scan = SCANNERS[family](chunks);
  const summary: ResponseSummary = { complete: scan.ended };
  if (!scan.ended) summary.problem = 'the stream ended before the model said it had finished';
  if (scan.stopReason !== undefined) summary.stopReason = scan.stopReason;
  const metricsUsage = chunks.map(usageFromInvocationMetrics).find((usage) => usage !== undefined);
  const usage = scan.usage ?? metricsUsage;
  if (usage) summary.usage = usage;
  if (chunks.some(intervened)) summary.guardrailIntervened = true;
  return summary;
}
