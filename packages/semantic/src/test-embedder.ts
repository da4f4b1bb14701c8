import type { Embedder } from './embedder.js';
import { stem, wordsOf } from './text.js';

/**
 * A small deterministic embedder for tests of the wiring: each word stem hashed into one of 64 dimensions.
 * Texts sharing words point the same way; `calls` counts what was embedded.
 */
export function createWordHashEmbedder(): Embedder & { calls: string[] } {
  const calls: string[] = [];
  return {
    id: 'word-hash-64',
    dimensions: 64,
    calls,
    async embed(texts) {
      calls.push(...texts);
      return texts.map((text) => {
        const vector = new Float32Array(64);
        for (const word of wordsOf(text)) {
          let hash = 2166136261;
          for (const char of stem(word)) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
          vector[(hash >>> 0) % 64]! += 1;
        }
        return vector;
      });
    },
  };
}
