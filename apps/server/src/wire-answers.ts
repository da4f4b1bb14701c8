import type { CachedAnswer } from '@prompt-cache/bedrock';
import type { CacheEntry } from '@prompt-cache/core';
import { converseOutputToWire } from './bedrock-wire.js';

/**
 * The response body of a cached Converse answer, rendered once per entry. The memory store, and the Redis store
 * while an entry is unchanged, hand out the same entry object on every hit, so every hit after the first writes
 * bytes already made; with other stores each hit renders its own.
 */
export class WireAnswers {
  private readonly bodies = new WeakMap<CacheEntry, Buffer>();

  converse(answer: CachedAnswer): Buffer {
    let body = this.bodies.get(answer.entry);
    if (body === undefined) {
      body = Buffer.from(JSON.stringify(converseOutputToWire(answer.output)));
      this.bodies.set(answer.entry, body);
    }
    return body;
  }
}
