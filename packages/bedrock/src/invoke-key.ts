import type { InvokeModelCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { PromptCacheError } from '@prompt-cache/core';

/** The fields of an InvokeModel request, besides the model id and the body, that can change the answer. */
const ANSWER_FIELDS = [
  'contentType',
  'accept',
  'trace',
  'guardrailIdentifier',
  'guardrailVersion',
  'performanceConfigLatency',
] as const;

/**
 * The key material of an InvokeModel or InvokeModelWithResponseStream request:
 * - `modelId` and the body as bytes (a string body is taken as its UTF-8 bytes, so `'{"a":1}'` and
 *   `Buffer.from('{"a":1}')` share a key; the JSON inside is not reordered or normalized);
 * - `contentType` and `accept` (how the body is read and the answer written), `trace` (adds the guardrail
 *   trace to the answer), `guardrailIdentifier` and `guardrailVersion` (a guardrail can change or block
 *   the answer) and `performanceConfigLatency` (the latency-optimized variant is a different deployment).
 * Left out: `requestMetadata` (labels) and `serviceTier` (priority and price, not content).
 */
export function invokeKeyMaterial(input: Partial<InvokeModelCommandInput>): Record<string, unknown> {
  const source = input as Record<string, unknown>;
  const material: Record<string, unknown> = { modelId: source.modelId, body: bodyBytes(source.body) };
  for (const field of ANSWER_FIELDS) if (source[field] !== undefined) material[field] = source[field];
  return material;
}

/** The body as something the core hashes as bytes. A stream or Blob body cannot be read twice, so it has no key. */
function bodyBytes(body: unknown): unknown {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body === undefined || ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return body;
  throw new PromptCacheError(
    'INVALID_KEY_MATERIAL',
    '[bedrock] an InvokeModel body that is a stream or Blob cannot be keyed without reading it; ' +
      'pass a string or a Uint8Array to cache the call (this call went to Bedrock uncached)',
  );
}
