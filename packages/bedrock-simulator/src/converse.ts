import { parseConverseStyleRequest, readMaxTokens } from './converse-request.js';
import { malformedInput, validationError } from './errors.js';
import { isJsonObject } from './json-shape.js';
import { isEmbeddingFamily, modelFamily } from './model-id.js';
import type { ResponsePlan, TimedFrame } from './response-plan.js';
import {
  deltaOf,
  type ModelPrompt,
  type ModelResult,
  type OutputBlock,
  planStream,
} from './simulated-model.js';

/** Reads and checks a Converse / ConverseStream body. */
export function parseConverseRequest(modelId: string, body: unknown): ModelPrompt {
  if (!isJsonObject(body)) throw malformedInput('the request body must be a JSON object');
  if (isEmbeddingFamily(modelFamily(modelId))) {
    throw validationError(
      "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
    );
  }
  if (body.messages === undefined || body.messages === null) {
    throw validationError(
      "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw validationError(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  const inferenceConfig = body.inferenceConfig;
  if (inferenceConfig !== undefined && !isJsonObject(inferenceConfig)) {
    throw validationError('The inferenceConfig field must be an object.');
  }
  return parseConverseStyleRequest(modelId, body, {
    maxTokens: readMaxTokens(inferenceConfig?.maxTokens, 'inferenceConfig.maxTokens'),
    guardrail: isJsonObject(body.guardrailConfig),
    reasoningFields: body.additionalModelRequestFields,
  });
}

/** A Converse output content block. */
function converseBlock(block: OutputBlock, toolUsePrefix = 'tooluse_'): Record<string, unknown> {
  switch (block.type) {
    case 'text':
      return { text: block.text };
    case 'reasoning':
      return { reasoningContent: { reasoningText: { text: block.text, signature: block.signature } } };
    case 'toolUse':
      return { toolUse: { toolUseId: toolUsePrefix + block.idSuffix, name: block.name, input: block.input } };
  }
}

/** Converse's `usage`: the cache fields appear only when the prompt had cache points, as in Bedrock. */
export function converseUsage(result: ModelResult): Record<string, number> {
  const { usage } = result;
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens,
    ...(usage.usedCachePoints
      ? {
          cacheReadInputTokens: usage.cacheReadInputTokens,
          cacheWriteInputTokens: usage.cacheWriteInputTokens,
        }
      : {}),
  };
}

/** The Converse response body. */
export function converseResponse(result: ModelResult): ResponsePlan {
  return {
    kind: 'json',
    delayMs: result.latency.totalMs,
    headers: {},
    body: {
      output: {
        message: { role: 'assistant', content: result.content.map((block) => converseBlock(block)) },
      },
      stopReason: result.stopReason,
      usage: converseUsage(result),
      metrics: { latencyMs: result.latency.totalMs },
    },
  };
}

function event(eventType: string, body: unknown, delayMs = 0): TimedFrame {
  return { frame: { kind: 'event', eventType, body }, delayMs };
}

/**
 * The ConverseStream events: messageStart, then per block an optional contentBlockStart (tool use),
 * contentBlockDelta chunks and contentBlockStop, then messageStop and metadata.
 */
export function converseStreamResponse(result: ModelResult): ResponsePlan {
  const frames: TimedFrame[] = [event('messageStart', { role: 'assistant' }, result.latency.firstTokenMs)];
  for (const { index, block, pieces } of planStream(result)) {
    if (block.type === 'toolUse') {
      frames.push(
        event('contentBlockStart', {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: `tooluse_${block.idSuffix}`, name: block.name } },
        }),
      );
    }
    for (const piece of pieces) {
      const delta = deltaOf(block, piece.text);
      frames.push(event('contentBlockDelta', { contentBlockIndex: index, delta }, piece.delayMs));
    }
    if (block.type === 'reasoning') {
      frames.push(
        event('contentBlockDelta', {
          contentBlockIndex: index,
          delta: { reasoningContent: { signature: block.signature } },
        }),
      );
    }
    frames.push(event('contentBlockStop', { contentBlockIndex: index }));
  }
  frames.push(event('messageStop', { stopReason: result.stopReason }));
  frames.push(
    event('metadata', { usage: converseUsage(result), metrics: { latencyMs: result.latency.totalMs } }),
  );
  return { kind: 'stream', frames, headers: {} };
}
