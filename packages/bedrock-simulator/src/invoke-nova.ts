import { parseConverseStyleRequest, readMaxTokens } from './converse-request.js';
import { malformedInput } from './errors.js';
import { payloadChunk } from './event-stream.js';
import { invocationMetrics, invokeHeaders } from './invoke-metrics.js';
import { isJsonObject } from './json-shape.js';
import type { ResponsePlan, TimedFrame } from './response-plan.js';
import {
  deltaOf,
  type ModelPrompt,
  type ModelResult,
  type OutputBlock,
  planStream,
  type StopReason,
} from './simulated-model.js';

/** Reads Amazon Nova's native body: `{ messages, system?, inferenceConfig?, toolConfig? }`. */
export function parseNovaRequest(modelId: string, body: unknown, guardrail: boolean): ModelPrompt {
  if (!isJsonObject(body)) throw malformedInput('#: expected type: JSONObject, found: other');
  if (body.messages === undefined) throw malformedInput('#: required key [messages] not found');
  if (!Array.isArray(body.messages)) throw malformedInput('#/messages: expected type: JSONArray');
  if (body.messages.length === 0)
    throw malformedInput('#/messages: expected minimum item count: 1, found: 0');
  const inferenceConfig = isJsonObject(body.inferenceConfig) ? body.inferenceConfig : {};
  const maxField = inferenceConfig.max_new_tokens !== undefined ? 'max_new_tokens' : 'maxTokens';
  return parseConverseStyleRequest(modelId, body, {
    maxTokens: readMaxTokens(inferenceConfig[maxField], `inferenceConfig.${maxField}`),
    guardrail,
    reasoningFields: body,
  });
}

function novaStopReason(stopReason: StopReason): string {
  return stopReason === 'guardrail_intervened' ? 'content_filtered' : stopReason;
}

function novaBlock(block: OutputBlock): Record<string, unknown> {
  switch (block.type) {
    case 'text':
      return { text: block.text };
    case 'reasoning':
      return { reasoningContent: { reasoningText: { text: block.text } } };
    case 'toolUse':
      return { toolUse: { toolUseId: `tooluse_${block.idSuffix}`, name: block.name, input: block.input } };
  }
}

function novaUsage(result: ModelResult): Record<string, number> {
  const { usage } = result;
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens,
    cacheReadInputTokenCount: usage.cacheReadInputTokens,
    cacheWriteInputTokenCount: usage.cacheWriteInputTokens,
  };
}

/** Nova's InvokeModel response body. */
export function novaResponse(result: ModelResult): ResponsePlan {
  return {
    kind: 'json',
    delayMs: result.latency.totalMs,
    headers: invokeHeaders(result),
    body: {
      output: { message: { role: 'assistant', content: result.content.map(novaBlock) } },
      stopReason: novaStopReason(result.stopReason),
      usage: novaUsage(result),
      ...(result.stopReason === 'guardrail_intervened'
        ? { 'amazon-bedrock-guardrailAction': 'INTERVENED' }
        : {}),
    },
  };
}

/** Nova's native stream chunks, each wrapped in a `chunk` event. */
export function novaStreamResponse(result: ModelResult): ResponsePlan {
  const chunk = (body: unknown, delayMs = 0): TimedFrame => ({ frame: payloadChunk(body), delayMs });
  const frames: TimedFrame[] = [chunk({ messageStart: { role: 'assistant' } }, result.latency.firstTokenMs)];
  for (const { index, block, pieces } of planStream(result)) {
    if (block.type === 'toolUse') {
      frames.push(
        chunk({
          contentBlockStart: {
            start: { toolUse: { toolUseId: `tooluse_${block.idSuffix}`, name: block.name } },
            contentBlockIndex: index,
          },
        }),
      );
    }
    for (const piece of pieces) {
      const delta = deltaOf(block, piece.text);
      frames.push(chunk({ contentBlockDelta: { delta, contentBlockIndex: index } }, piece.delayMs));
    }
    frames.push(chunk({ contentBlockStop: { contentBlockIndex: index } }));
  }
  frames.push(chunk({ messageStop: { stopReason: novaStopReason(result.stopReason) } }));
  frames.push(
    chunk({
      metadata: { usage: novaUsage(result), metrics: {}, trace: {} },
      'amazon-bedrock-invocationMetrics': invocationMetrics(result),
    }),
  );
  return { kind: 'stream', frames, headers: { 'x-amzn-bedrock-content-type': 'application/json' } };
}
