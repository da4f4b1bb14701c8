import { canonicalJson } from '@prompt-cache/core/store-kit';
import type { BedrockCacheRequest } from './cache-request.js';
import { converseKeyMaterial } from './converse-key.js';
import type { RecordedEvent, RecordedResponse } from './recorded-response.js';

/**
 * What a semantic match compares in a Converse or ConverseStream call, and what must be identical: the text blocks
 * of the last user message are compared; the model, every parameter, the system prompt, the earlier turns and the
 * last message's other blocks (images, documents, tool results) are the scope. InvokeModel calls are not matched.
 */
export function splitConverse(request: BedrockCacheRequest): { scope: unknown; text: string } | undefined {
  const { operation } = request;
  if (operation !== 'Converse' && operation !== 'ConverseStream') return undefined;
  const { scope, prompt } = converseKeyMaterial(request.input as { modelId: string });
  const messages = prompt.messages;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const last = messages.at(-1) as { role?: unknown; content?: unknown };
  if (last?.role !== 'user' || !Array.isArray(last.content)) return undefined;
  const texts: string[] = [];
  const otherBlocks: unknown[] = [];
  for (const block of last.content as Record<string, unknown>[]) {
    if (typeof block?.text === 'string' && Object.keys(block).length === 1) texts.push(block.text);
    else otherBlocks.push(block);
  }
  if (texts.length === 0) return undefined;
  return {
    scope: {
      // As keys name their operation, a stream is answered only by a recorded stream (another shape than a
      // Converse answer). Converse's scope keeps its former shape, so that saved indexes keep their partitions.
      ...(operation === 'Converse' ? {} : { operation }),
      scope,
      system: prompt.system,
      promptVariables: prompt.promptVariables,
      earlier: messages.slice(0, -1),
      otherBlocks,
    },
    text: texts.join('\n'),
  };
}

/**
 * The text of a Converse answer or of a recorded ConverseStream, which identifies it for the margin (two answers
 * with equal text are one).
 */
export function answerTextOf(value: unknown): string {
  const record = value as RecordedResponse | undefined;
  if (record?.events) return streamTextOf(record.events) || canonicalJson(record.events);
  const fields = record?.fields;
  const content = (fields?.output as { message?: { content?: unknown } } | undefined)?.message?.content;
  if (Array.isArray(content)) {
    const text = content
      .map((block) => (typeof block?.text === 'string' ? block.text : canonicalJson(block)))
      .join('\n');
    if (text) return text;
  }
  return canonicalJson(fields ?? value);
}

/** The text deltas of a recorded ConverseStream, joined; other deltas (tool input, reasoning) as JSON. */
function streamTextOf(events: readonly RecordedEvent[]): string {
  let text = '';
  for (const { event } of events) {
    const delta = (event.contentBlockDelta as { delta?: Record<string, unknown> } | undefined)?.delta;
    if (delta) text += typeof delta.text === 'string' ? delta.text : canonicalJson(delta);
  }
  return text;
}
