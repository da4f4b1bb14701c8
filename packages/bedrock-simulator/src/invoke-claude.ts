import { readMaxTokens } from './converse-request.js';
import { malformedInput } from './errors.js';
import { payloadChunk } from './event-stream.js';
import { invocationMetrics, invokeHeaders } from './invoke-metrics.js';
import { isJsonObject, type JsonObject, stringField, wantsReasoning } from './json-shape.js';
import { anthropicModelName } from './model-id.js';
import type { PromptBlock } from './prompt-caching.js';
import type { ResponsePlan, TimedFrame } from './response-plan.js';
import {
  contentBlock,
  type ModelPrompt,
  type ModelResult,
  type OutputBlock,
  planStream,
  type ToolChoice,
  type ToolDefinition,
} from './simulated-model.js';
import { estimateTokens } from './tokens.js';

const IMAGE_TOKENS = 1_000;

/** Pushes a block and, when it carries `cache_control`, a cache point after it (Anthropic's way). */
function pushWithCacheControl(blocks: PromptBlock[], value: JsonObject, tokens?: number): void {
  blocks.push(contentBlock(value, tokens));
  if (value.cache_control !== undefined) blocks.push({ kind: 'cachePoint' });
}

/** Tokens of a Claude content block: its text, a flat cost for images, else its JSON size. */
function claudeBlockTokens(block: JsonObject): number | undefined {
  if (typeof block.text === 'string') return estimateTokens(block.text);
  if (block.type === 'image') return IMAGE_TOKENS;
  return undefined;
}

function toolResultText(block: JsonObject): string {
  const content = block.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isJsonObject(part) && typeof part.text === 'string' ? part.text : ''))
    .join(' ');
}

function readTools(
  body: JsonObject,
  blocks: PromptBlock[],
): { tools: ToolDefinition[]; toolChoice?: ToolChoice } {
  if (body.tools === undefined) return { tools: [] };
  if (!Array.isArray(body.tools)) throw malformedInput('#/tools: expected type: JSONArray');
  const tools: ToolDefinition[] = [];
  for (const [index, tool] of body.tools.entries()) {
    const name = isJsonObject(tool) ? stringField(tool, 'name') : undefined;
    if (!isJsonObject(tool) || !name) throw malformedInput(`#/tools/${index}: required key [name] not found`);
    tools.push({ name, description: stringField(tool, 'description'), inputSchema: tool.input_schema });
    pushWithCacheControl(blocks, { tool });
  }
  const choice = body.tool_choice;
  if (isJsonObject(choice)) {
    if (choice.type === 'tool' && typeof choice.name === 'string')
      return { tools, toolChoice: { kind: 'tool', name: choice.name } };
    if (choice.type === 'any') return { tools, toolChoice: { kind: 'any' } };
  }
  return { tools, toolChoice: { kind: 'auto' } };
}

/** Reads Anthropic's Messages API body as Bedrock takes it: `anthropic_version`, `max_tokens`, `messages`. */
export function parseClaudeRequest(modelId: string, body: unknown, guardrail: boolean): ModelPrompt {
  if (!isJsonObject(body)) throw malformedInput('#: expected type: JSONObject, found: other');
  for (const required of ['anthropic_version', 'max_tokens', 'messages']) {
    if (body[required] === undefined) throw malformedInput(`#: required key [${required}] not found`);
  }
  if (!Array.isArray(body.messages)) throw malformedInput('#/messages: expected type: JSONArray');
  if (body.messages.length === 0)
    throw malformedInput('#/messages: expected minimum item count: 1, found: 0');
  const maxTokens = readMaxTokens(body.max_tokens, 'max_tokens');

  const blocks: PromptBlock[] = [];
  const { tools, toolChoice } = readTools(body, blocks);
  if (typeof body.system === 'string') {
    blocks.push(contentBlock({ system: body.system }, estimateTokens(body.system)));
  } else if (Array.isArray(body.system)) {
    for (const block of body.system) {
      if (isJsonObject(block)) pushWithCacheControl(blocks, { system: block }, claudeBlockTokens(block));
    }
  }

  let question = '';
  let lastUserText = '';
  let toolResults: string[] = [];
  for (const [index, message] of body.messages.entries()) {
    if (!isJsonObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      throw malformedInput(`#/messages/${index}/role: must be one of [user, assistant]`);
    }
    const texts: string[] = [];
    const results: string[] = [];
    if (typeof message.content === 'string') {
      texts.push(message.content);
      blocks.push(
        contentBlock({ role: message.role, text: message.content }, estimateTokens(message.content)),
      );
    } else if (Array.isArray(message.content)) {
      for (const block of message.content) {
        if (!isJsonObject(block))
          throw malformedInput(`#/messages/${index}/content: expected type: JSONObject`);
        if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
        if (block.type === 'tool_result') results.push(toolResultText(block));
        pushWithCacheControl(blocks, { role: message.role, block }, claudeBlockTokens(block));
      }
    } else {
      throw malformedInput(`#/messages/${index}: required key [content] not found`);
    }
    if (message.role === 'user') {
      lastUserText = texts.join('\n');
      toolResults = results;
      if (lastUserText.trim().length > 0) question = lastUserText;
    }
  }

  return {
    modelId,
    blocks,
    lastUserText,
    question,
    toolResults,
    tools,
    toolChoice,
    maxTokens,
    reasoning: wantsReasoning({ thinking: body.thinking }),
    guardrail,
  };
}

function claudeBlock(block: OutputBlock): Record<string, unknown> {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'reasoning':
      return { type: 'thinking', thinking: block.text, signature: block.signature };
    case 'toolUse':
      return { type: 'tool_use', id: `toolu_bdrk_${block.idSuffix}`, name: block.name, input: block.input };
  }
}

function claudeStopReason(result: ModelResult): string {
  return result.stopReason === 'guardrail_intervened' ? 'end_turn' : result.stopReason;
}

function claudeUsage(result: ModelResult, outputTokens = result.usage.outputTokens): Record<string, number> {
  return {
    input_tokens: result.usage.inputTokens,
    cache_creation_input_tokens: result.usage.cacheWriteInputTokens,
    cache_read_input_tokens: result.usage.cacheReadInputTokens,
    output_tokens: outputTokens,
  };
}

function guardrailField(result: ModelResult): Record<string, string> {
  return result.stopReason === 'guardrail_intervened'
    ? { 'amazon-bedrock-guardrailAction': 'INTERVENED' }
    : {};
}

/** Claude's InvokeModel response body (an Anthropic `message`). */
export function claudeResponse(result: ModelResult): ResponsePlan {
  return {
    kind: 'json',
    delayMs: result.latency.totalMs,
    headers: invokeHeaders(result),
    body: {
      id: `msg_bdrk_${result.answerId.slice(0, 24)}`,
      type: 'message',
      role: 'assistant',
      model: anthropicModelName(result.modelId),
      content: result.content.map(claudeBlock),
      stop_reason: claudeStopReason(result),
      stop_sequence: null,
      usage: claudeUsage(result),
      ...guardrailField(result),
    },
  };
}

/** Claude's native stream: message_start, content blocks with deltas, message_delta and message_stop. */
export function claudeStreamResponse(result: ModelResult): ResponsePlan {
  const chunk = (body: unknown, delayMs = 0): TimedFrame => ({ frame: payloadChunk(body), delayMs });
  const frames: TimedFrame[] = [
    chunk(
      {
        type: 'message_start',
        message: {
          id: `msg_bdrk_${result.answerId.slice(0, 24)}`,
          type: 'message',
          role: 'assistant',
          model: anthropicModelName(result.modelId),
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: claudeUsage(result, 1),
        },
      },
      result.latency.firstTokenMs,
    ),
  ];
  for (const { index, block, pieces } of planStream(result)) {
    const start =
      block.type === 'text'
        ? { type: 'text', text: '' }
        : block.type === 'reasoning'
          ? { type: 'thinking', thinking: '' }
          : { type: 'tool_use', id: `toolu_bdrk_${block.idSuffix}`, name: block.name, input: {} };
    frames.push(chunk({ type: 'content_block_start', index, content_block: start }));
    for (const piece of pieces) {
      const delta =
        block.type === 'text'
          ? { type: 'text_delta', text: piece.text }
          : block.type === 'reasoning'
            ? { type: 'thinking_delta', thinking: piece.text }
            : { type: 'input_json_delta', partial_json: piece.text };
      frames.push(chunk({ type: 'content_block_delta', index, delta }, piece.delayMs));
    }
    if (block.type === 'reasoning') {
      frames.push(
        chunk({
          type: 'content_block_delta',
          index,
          delta: { type: 'signature_delta', signature: block.signature },
        }),
      );
    }
    frames.push(chunk({ type: 'content_block_stop', index }));
  }
  frames.push(
    chunk({
      type: 'message_delta',
      delta: { stop_reason: claudeStopReason(result), stop_sequence: null },
      usage: { output_tokens: result.usage.outputTokens },
    }),
  );
  frames.push(
    chunk({
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': invocationMetrics(result),
      ...guardrailField(result),
    }),
  );
  return { kind: 'stream', frames, headers: { 'x-amzn-bedrock-content-type': 'application/json' } };
}
