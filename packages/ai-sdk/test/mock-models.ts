import type {
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { LanguageModelV4GenerateResult, LanguageModelV4StreamPart } from 'ai-sdk-provider-v4';

export const USAGE = {
  inputTokens: { total: 12, noCache: 10, cacheRead: 2, cacheWrite: undefined },
  outputTokens: { total: 7, text: 7, reasoning: undefined },
};

export const STOP: LanguageModelV3FinishReason = { unified: 'stop', raw: 'end_turn' };

/** A generate result as a provider gives it, with a Date, usage and provider metadata. */
export function generateResult(text: string, finishReason = STOP): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason,
    usage: USAGE,
    providerMetadata: { bedrock: { trace: { guardrail: 'none' } } },
    response: { id: 'response-1', timestamp: new Date('2026-01-02T03:04:05.678Z'), modelId: 'mock-model-id' },
    warnings: [],
  };
}

/** The parts of a streamed answer, `words` as text deltas, ending with `finish`. */
export function streamParts(words: string[], finishReason = STOP): LanguageModelV3StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    {
      type: 'response-metadata',
      id: 'response-1',
      timestamp: new Date('2026-01-02T03:04:05.678Z'),
      modelId: 'mock',
    },
    { type: 'text-start', id: 't1' },
    ...words.map((delta): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 't1', delta })),
    { type: 'text-end', id: 't1' },
    { type: 'finish', finishReason, usage: USAGE, providerMetadata: { bedrock: { stopSequence: null } } },
  ];
}

/** A mock model that answers every call anew, so the number of calls it got is what the cache saved. */
export function countingModel(
  answer: { text?: string; words?: string[]; finishReason?: LanguageModelV3FinishReason } = {},
) {
  const words = answer.words ?? ['Hello', ', ', 'world'];
  return new MockLanguageModelV3({
    doGenerate: async () => generateResult(answer.text ?? words.join(''), answer.finishReason),
    doStream: async () => ({
      stream: simulateReadableStream({ chunks: streamParts(words, answer.finishReason) }),
    }),
  });
}

/**
 * The same counting model for ai 7 (LanguageModelV4), from ai 7's own `ai/test`. Loaded on demand: ai 7 needs
 * Node 22. The answers above are valid V4 results too (text, finish reason and usage have one shape in both).
 */
export async function countingModelV4(answer: { text?: string; words?: string[] } = {}) {
  const [{ MockLanguageModelV4 }, ai7] = await Promise.all([import('ai7/test'), import('ai7')]);
  const words = answer.words ?? ['Hello', ', ', 'world'];
  return new MockLanguageModelV4({
    doGenerate: async () => generateResult(answer.text ?? words.join('')) as LanguageModelV4GenerateResult,
    doStream: async () => ({
      stream: ai7.simulateReadableStream({ chunks: streamParts(words) as LanguageModelV4StreamPart[] }),
    }),
  });
}
