import type { RecordedResponse } from './recorded-response.js';

/** How an answer ended, whatever words its API uses for it. */
export type StopKind = 'finished' | 'truncated' | 'blocked' | 'malformed' | 'unknown';

const STOP_KINDS: Record<string, StopKind> = {
  // Converse and Anthropic; Nova, Llama, Mistral, Cohere and OpenAI-compatible models; Titan.
  end_turn: 'finished',
  tool_use: 'finished',
  stop_sequence: 'finished',
  stop: 'finished',
  tool_calls: 'finished',
  complete: 'finished',
  finish: 'finished',
  stop_criteria_met: 'finished',
  max_tokens: 'truncated',
  length: 'truncated',
  model_context_window_exceeded: 'truncated',
  guardrail_intervened: 'blocked',
  content_filtered: 'blocked',
  content_filter: 'blocked',
  refusal: 'blocked',
  malformed_model_output: 'malformed',
  malformed_tool_use: 'malformed',
};

/** Classifies a stop reason (case-insensitive). A reason this package does not know is `unknown`. */
export function stopKindOf(stopReason: string): StopKind {
  return STOP_KINDS[stopReason.toLowerCase()] ?? 'unknown';
}

/** Options of {@link notCacheableReason}. */
export interface CacheabilityOptions {
  /** Keep answers cut short by the token limit (the limit is part of the key). Default `true`. */
  cacheTruncated?: boolean;
}

/**
 * Why an answer must not be stored, in one word for headers and stats (`guardrail_intervened`, `max_tokens`,
 * `content_filtered`, `incomplete_answer`, `unknown_stop_reason`), or `undefined` when it may be stored.
 */
export function notCacheableCode(
  response: RecordedResponse,
  options: CacheabilityOptions = {},
): string | undefined {
  const { summary } = response;
  if (!summary.complete) return 'incomplete_answer';
  if (summary.guardrailIntervened) return 'guardrail_intervened';
  if (summary.stopReason === undefined) return undefined;
  const kind = stopKindOf(summary.stopReason);
  if (kind === 'finished' || (kind === 'truncated' && options.cacheTruncated !== false)) return undefined;
  return kind === 'unknown' ? 'unknown_stop_reason' : summary.stopReason.toLowerCase();
}

/**
 * Why an answer must not be stored, or `undefined` when it may be. Never cached: incomplete or malformed
 * answers (a stream without its end, a body that is not JSON, `malformed_*` stop reasons), guardrail
 * interventions and content filtering, unknown stop reasons, and truncations (`max_tokens`, `length`)
 * when `cacheTruncated` is `false`. Errors never get this far: a thrown error is never stored.
 */
export function notCacheableReason(
  response: RecordedResponse,
  options: CacheabilityOptions = {},
): string | undefined {
  const { summary } = response;
  if (!summary.complete) return `incomplete answer: ${summary.problem ?? 'it did not end as expected'}`;
  if (summary.guardrailIntervened) return 'a guardrail intervened';
  if (summary.stopReason === undefined) return undefined;
  const kind = stopKindOf(summary.stopReason);
  switch (kind) {
    case 'finished':
      return undefined;
    case 'truncated':
      return options.cacheTruncated !== false
        ? undefined
        : `stop reason ${summary.stopReason}: the answer was cut short (cacheTruncated is false)`;
    case 'blocked':
      return `stop reason ${summary.stopReason}: the answer was blocked or filtered`;
    case 'malformed':
      return `stop reason ${summary.stopReason}: the model's output was malformed`;
    default:
      return `unknown stop reason ${summary.stopReason}: not cached to be safe`;
  }
}
