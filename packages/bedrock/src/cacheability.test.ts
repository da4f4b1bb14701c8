import { describe, expect, it } from 'vitest';
import { notCacheableCode, notCacheableReason, stopKindOf } from './cacheability.js';
import type { RecordedResponse, ResponseSummary } from './recorded-response.js';

const answer = (summary: ResponseSummary): RecordedResponse => ({
  operation: 'Converse',
  provider: 'bedrock',
  fields: {},
  summary,
});

describe('cacheability', () => {
  it.each([
    ['end_turn', 'finished'],
    ['tool_use', 'finished'],
    ['stop_sequence', 'finished'],
    ['FINISH', 'finished'],
    ['stop', 'finished'],
    ['max_tokens', 'truncated'],
    ['LENGTH', 'truncated'],
    ['model_context_window_exceeded', 'truncated'],
    ['guardrail_intervened', 'blocked'],
    ['content_filtered', 'blocked'],
    ['CONTENT_FILTERED', 'blocked'],
    ['malformed_model_output', 'malformed'],
    ['malformed_tool_use', 'malformed'],
    ['pause_turn', 'unknown'],
  ])('classifies %s as %s', (reason, kind) => {
    expect(stopKindOf(reason)).toBe(kind);
  });

  it('stores finished answers and answers without a stop reason (embeddings)', () => {
    expect(notCacheableReason(answer({ complete: true, stopReason: 'end_turn' }))).toBeUndefined();
    expect(notCacheableReason(answer({ complete: true }))).toBeUndefined();
  });

  it('never stores incomplete, blocked, malformed or unknown answers; truncated ones unless refused', () => {
    expect(notCacheableReason(answer({ complete: false, problem: 'no messageStop' }))).toMatch(
      /incomplete.*messageStop/,
    );
    expect(notCacheableReason(answer({ complete: true, guardrailIntervened: true }))).toMatch(/guardrail/);
    expect(notCacheableReason(answer({ complete: true, stopReason: 'content_filtered' }))).toMatch(/blocked/);
    expect(notCacheableReason(answer({ complete: true, stopReason: 'malformed_tool_use' }))).toMatch(
      /malformed/,
    );
    expect(notCacheableReason(answer({ complete: true, stopReason: 'pause_turn' }))).toMatch(/unknown/);
    const truncated = answer({ complete: true, stopReason: 'max_tokens' });
    expect(notCacheableReason(truncated)).toBeUndefined();
    expect(notCacheableReason(truncated, { cacheTruncated: false })).toMatch(/cacheTruncated/);
    expect(notCacheableCode(truncated, { cacheTruncated: false })).toBe('max_tokens');
    expect(notCacheableCode(answer({ complete: true, guardrailIntervened: true }))).toBe(
      'guardrail_intervened',
    );
  });
});
