import type { TokenUsage } from '@prompt-cache/core';
import type { BedrockOperation } from './operations.js';

/** One event of a recorded stream, with when it arrived (ms after the call started). */
export interface RecordedEvent {
  /** Milliseconds between the start of the call and this event, used to replay with the original timing. */
  atMs: number;
  /** The event as the SDK yields it, e.g. `{ contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' } } }`. */
  event: Record<string, unknown>;
}

/** What this package reads from an answer to decide whether it may be cached, and what it cost. */
export interface ResponseSummary {
  /** The stop reason in the API's own words (`end_turn`, `max_tokens`, `FINISH`, ...), when the answer has one. */
  stopReason?: string;
  /** Tokens billed for the call, Bedrock's prompt-cache reads and writes included. */
  usage?: TokenUsage;
  /** False for an answer known to be incomplete or malformed (a stream without its end, a body that is not JSON). */
  complete: boolean;
  /** Why `complete` is false. */
  problem?: string;
  /** True when the answer says a guardrail intervened. */
  guardrailIntervened?: boolean;
}

/**
 * A Bedrock answer in the form the cache keeps: plain data, bytes as `Uint8Array`, streams as their events.
 * This is also what `cacheWhen` and `guard` are given.
 */
export interface RecordedResponse {
  operation: BedrockOperation;
  /** Who answered: `bedrock`, `simulator`, or the `provider` option. */
  provider: string;
  /**
   * The output fields besides `$metadata` and the payload: the whole Converse output
   * (`output`, `stopReason`, `usage`, `metrics`...), or `contentType` and the like for InvokeModel.
   */
  fields: Record<string, unknown>;
  /** InvokeModel only: the response body. */
  body?: Uint8Array;
  /** Streams only: every event, in order. */
  events?: RecordedEvent[];
  summary: ResponseSummary;
}

/** Picks the four token counts the pricing package reads, from any object that has them as numbers. */
export function tokenUsage(counts: {
  inputTokens?: unknown;
  outputTokens?: unknown;
  totalTokens?: unknown;
  cacheReadInputTokens?: unknown;
  cacheWriteInputTokens?: unknown;
}): TokenUsage | undefined {
  const inputTokens = countOf(counts.inputTokens);
  const outputTokens = countOf(counts.outputTokens);
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const usage: TokenUsage = { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0 };
  const totalTokens = countOf(counts.totalTokens);
  const cacheReadInputTokens = countOf(counts.cacheReadInputTokens);
  const cacheWriteInputTokens = countOf(counts.cacheWriteInputTokens);
  if (totalTokens !== undefined) usage.totalTokens = totalTokens;
  if (cacheReadInputTokens !== undefined) usage.cacheReadInputTokens = cacheReadInputTokens;
  if (cacheWriteInputTokens !== undefined) usage.cacheWriteInputTokens = cacheWriteInputTokens;
  return usage;
}

/** A token count, or `undefined` for anything that is not a finite number >= 0 (numeric strings count). */
export function countOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** A plain object, or `undefined`. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
