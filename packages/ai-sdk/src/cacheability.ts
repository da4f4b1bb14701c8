import type { LanguageModelV3Content, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { matchesJsonSchema } from './json-schema-check.js';
import type { ModelCallOptions } from './model-call.js';

/**
 * Finish reasons whose answer is never stored: the call failed, the provider could not say why it ended, or (ai 7)
 * the stream ended without its completion signal, so the answer may be cut short.
 */
const UNCACHEABLE_FINISH = new Set(['error', 'other', 'interrupted']);

export function isCacheableFinish(finishReason: { unified: string } | undefined): boolean {
  return finishReason !== undefined && !UNCACHEABLE_FINISH.has(finishReason.unified);
}

/** With a JSON response format, the answer's text must parse against the requested schema. */
export function isValidStructuredOutput(params: ModelCallOptions, text: string): boolean {
  const format = params.responseFormat;
  return format?.type !== 'json' || matchesJsonSchema(text, format.schema);
}

export function textOfContent(content: readonly LanguageModelV3Content[]): string {
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

export function textOfParts(parts: readonly LanguageModelV3StreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
}
