import { createHash } from 'node:crypto';

function featureSlot(feature: string, dimensions: number): { index: number; sign: number } {
  const digest = createHash('sha256').update(feature).digest();
  return { index: digest.readUInt32LE(0) % dimensions, sign: (digest[4] as number) & 1 ? 1 : -1 };
}

/**
 * A deterministic embedding of `text` by feature hashing of its words, word pairs and the character
 * 3-grams of each word: the same text always gives the same vector, and texts that share words (or
 * word stems: `logs` and `log`) point in similar directions, so similarity search behaves plausibly
 * (without any model).
 */
export function embedText(text: string, dimensions: number, normalize = true): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const [index, word] of words.entries()) {
    const unigram = featureSlot(`w:${word}`, dimensions);
    vector[unigram.index] = (vector[unigram.index] as number) + unigram.sign;
    const padded = ` ${word} `;
    for (let start = 0; start + 3 <= padded.length; start++) {
      const gram = featureSlot(`c:${padded.slice(start, start + 3)}`, dimensions);
      vector[gram.index] = (vector[gram.index] as number) + gram.sign * 0.25;
    }
    const next = words[index + 1];
    if (next !== undefined) {
      const bigram = featureSlot(`b:${word} ${next}`, dimensions);
      vector[bigram.index] = (vector[bigram.index] as number) + bigram.sign * 0.5;
    }
  }
  if (words.length === 0) {
    const fallback = featureSlot(`t:${text}`, dimensions);
    vector[fallback.index] = fallback.sign;
  }
  const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  const scale = normalize ? 1 / length : 1;
  return vector.map((value) => Math.round(value * scale * 1e6) / 1e6);
}
