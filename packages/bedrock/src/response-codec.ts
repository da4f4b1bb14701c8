import { type Codec, PromptCacheError } from '@prompt-cache/core';
import type { RecordedResponse } from './recorded-response.js';

// JSON cannot hold bytes, and Bedrock answers carry them (InvokeModel bodies, stream chunks, redacted
// reasoning, images). Bytes become `{ "$pc.bytes": "<base64>" }`. An object of the answer's own that has a
// key starting with `$pc.` is wrapped as `{ "$pc.object": {...} }`, so no answer can be mistaken for a tag.
const BYTES_TAG = '$pc.bytes';
const OBJECT_TAG = '$pc.object';
const TAG_PREFIX = '$pc.';

function toJsonShape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { [BYTES_TAG]: bytes.toString('base64') };
  }
  if (Array.isArray(value)) return value.map(toJsonShape);
  const copy: Record<string, unknown> = {};
  let tagged = false;
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith(TAG_PREFIX)) tagged = true;
    copy[key] = toJsonShape(item);
  }
  return tagged ? { [OBJECT_TAG]: copy } : copy;
}

function fromJsonShape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromJsonShape);
  const object = value as Record<string, unknown>;
  const bytes = object[BYTES_TAG];
  if (typeof bytes === 'string') return Uint8Array.from(Buffer.from(bytes, 'base64'));
  const inner = object[OBJECT_TAG];
  const source = typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : object;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(source)) copy[key] = fromJsonShape(item);
  return copy;
}

/**
 * The codec of recorded Bedrock answers: JSON text in which bytes are kept as base64, so InvokeModel bodies,
 * stream chunks and binary content blocks come back as `Uint8Array`s, byte for byte.
 */
export function createResponseCodec(): Codec<RecordedResponse> {
  return {
    name: 'bedrock-json',
    encode: (response) => JSON.stringify(toJsonShape(response)),
    decode: (encoded) => {
      const text = typeof encoded === 'string' ? encoded : Buffer.from(encoded).toString('utf8');
      const response = fromJsonShape(JSON.parse(text)) as RecordedResponse;
      if (typeof response?.operation !== 'string' || typeof response.fields !== 'object') {
        throw new PromptCacheError(
          'CODEC_FAILED',
          '[bedrock] the cached value is not a recorded Bedrock answer',
        );
      }
      return response;
    },
  };
}
