import { PromptCacheError } from './errors.js';

/**
 * Turns a value into what the store keeps, and back. Decoding must return a fresh object on every
 * call, so that a caller may change a hit freely without touching the cache.
 */
export interface Codec<Value = unknown> {
  readonly name: string;
  /** `context.key`: the cache key the value is stored under (an encrypting codec binds the value to it). */
  encode(value: Value, context?: CodecContext): string | Uint8Array;
  decode(encoded: string | Uint8Array, context?: CodecContext): Value;
}

/** What the orchestrator tells a codec about a value: the full cache key it is stored under. */
export interface CodecContext {
  key: string;
}

/** The default codec: JSON text. `JSON.parse` is also the fastest deep copy V8 has for JSON data. */
export function createJsonCodec<Value = unknown>(): Codec<Value> {
  return {
    name: 'json',
    encode: (value) => {
      const text = JSON.stringify(value);
      if (text === undefined)
        throw new PromptCacheError('CODEC_FAILED', '[core] value is not JSON-serializable');
      return text;
    },
    decode: (encoded) =>
      JSON.parse(typeof encoded === 'string' ? encoded : Buffer.from(encoded).toString('utf8')) as Value,
  };
}
