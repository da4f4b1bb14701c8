import { readMaxTokens } from './converse-request.js';
import { createSeededRandom } from './deterministic-random.js';
import { embedText } from './embeddings.js';
import { malformedInput } from './errors.js';
import { payloadChunk } from './event-stream.js';
import { invocationMetrics, invokeHeaders } from './invoke-metrics.js';
import { isJsonObject } from './json-shape.js';
import { type LatencySettings, planLatency } from './latency.js';
import { baseModelId } from './model-id.js';
import type { ResponsePlan, TimedFrame } from './response-plan.js';
import { contentBlock, type ModelPrompt, type ModelResult, planStream } from './simulated-model.js';
import { estimateTokens } from './tokens.js';

function readInputText(body: unknown): { body: Record<string, unknown>; inputText: string } {
  if (!isJsonObject(body)) throw malformedInput('#: expected type: JSONObject, found: other');
  if (body.inputText === undefined) throw malformedInput('#: required key [inputText] not found');
  if (typeof body.inputText !== 'string') throw malformedInput('#/inputText: expected type: String');
  if (body.inputText.trim().length === 0)
    throw malformedInput('#/inputText: expected minLength: 1, actual: 0');
  return { body, inputText: body.inputText };
}

/** Reads Titan Text's native body: `{ inputText, textGenerationConfig? }`. */
export function parseTitanTextRequest(modelId: string, rawBody: unknown, guardrail: boolean): ModelPrompt {
  const { body, inputText } = readInputText(rawBody);
  const config = isJsonObject(body.textGenerationConfig) ? body.textGenerationConfig : {};
  const question = inputText.replace(/^\s*User:\s*/i, '').replace(/\s*Bot:\s*$/i, '');
  return {
    modelId,
    blocks: [contentBlock({ inputText }, estimateTokens(inputText))],
    lastUserText: question,
    question,
    toolResults: [],
    tools: [],
    maxTokens: readMaxTokens(config.maxTokenCount, 'textGenerationConfig.maxTokenCount'),
    reasoning: false,
    guardrail,
  };
}

function titanText(result: ModelResult): string {
  return result.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
}

function completionReason(result: ModelResult): string {
  if (result.stopReason === 'max_tokens') return 'LENGTH';
  if (result.stopReason === 'guardrail_intervened') return 'CONTENT_FILTERED';
  return 'FINISH';
}

/** Titan Text's InvokeModel response body. */
export function titanTextResponse(result: ModelResult): ResponsePlan {
  return {
    kind: 'json',
    delayMs: result.latency.totalMs,
    headers: invokeHeaders(result),
    body: {
      inputTextTokenCount: result.usage.inputTokens,
      results: [
        {
          tokenCount: result.usage.outputTokens,
          outputText: titanText(result),
          completionReason: completionReason(result),
        },
      ],
    },
  };
}

/** Titan Text's native stream: one chunk per few words; the last carries the completion reason and metrics. */
export function titanTextStreamResponse(result: ModelResult): ResponsePlan {
  const pieces = planStream(result).flatMap((streamed) =>
    streamed.block.type === 'text' ? streamed.pieces : [],
  );
  const frames: TimedFrame[] = [];
  let produced = 0;
  for (const [index, piece] of pieces.entries()) {
    const last = index === pieces.length - 1;
    produced = last
      ? result.usage.outputTokens
      : Math.min(produced + estimateTokens(piece.text), result.usage.outputTokens);
    frames.push({
      delayMs: index === 0 ? result.latency.firstTokenMs + piece.delayMs : piece.delayMs,
      frame: payloadChunk({
        outputText: piece.text,
        index: 0,
        totalOutputTextTokenCount: produced,
        completionReason: last ? completionReason(result) : null,
        inputTextTokenCount: result.usage.inputTokens,
        ...(last ? { 'amazon-bedrock-invocationMetrics': invocationMetrics(result) } : {}),
      }),
    });
  }
  return { kind: 'stream', frames, headers: { 'x-amzn-bedrock-content-type': 'application/json' } };
}

const V2_DIMENSIONS = [256, 512, 1024];

/**
 * Titan Text Embeddings: `{ inputText, dimensions?, normalize? }` gives `{ embedding, inputTextTokenCount }`.
 * The vector is deterministic (see {@link embedText}).
 */
export function titanEmbeddingResponse(
  modelId: string,
  rawBody: unknown,
  latency: LatencySettings,
): ResponsePlan {
  const { body, inputText } = readInputText(rawBody);
  const isV1 =
    baseModelId(modelId).startsWith('amazon.titan-embed-text-v1') ||
    baseModelId(modelId).startsWith('amazon.titan-embed-g1');
  let dimensions = isV1 ? 1536 : 1024;
  if (!isV1 && body.dimensions !== undefined) {
    if (typeof body.dimensions !== 'number' || !V2_DIMENSIONS.includes(body.dimensions)) {
      throw malformedInput(`#/dimensions: ${String(body.dimensions)} is not a valid enum value`);
    }
    dimensions = body.dimensions;
  }
  const normalize = isV1 ? true : body.normalize !== false;
  const inputTextTokenCount = estimateTokens(inputText);
  const plan = planLatency(latency, 0, createSeededRandom(`${modelId}\n${inputText}`));
  const delayMs = Math.round(plan.firstTokenMs / 4);
  return {
    kind: 'json',
    delayMs,
    headers: {
      'x-amzn-bedrock-input-token-count': String(inputTextTokenCount),
      'x-amzn-bedrock-invocation-latency': String(delayMs),
    },
    body: { embedding: embedText(inputText, dimensions, normalize), inputTextTokenCount },
  };
}
