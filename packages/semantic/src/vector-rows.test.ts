import { describe, expect, it } from 'vitest';
import { type ScoredPrompt, SemanticIndex } from './semantic-index.js';
import { unit, VectorRows } from './vector-rows.js';

function randomVectors(count: number, dimensions: number): Float32Array[] {
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, random));
}

describe('VectorRows', () => {
  it('keeps unit rows, grows past its first capacity, and int8 cosines stay within 0.002 of float32', () => {
    const vectors = randomVectors(40, 37); // 37: a length that is not a multiple of 4
    const exact = new VectorRows(37, 'float32');
    const small = new VectorRows(37, 'int8');
    vectors.forEach((vector, slot) => {
      exact.set(slot, vector);
      small.set(slot, vector);
    });
    const query = unit(vectors[0]!);
    expect(exact.dot(query, 0)).toBeCloseTo(1, 6);
    for (let slot = 0; slot < vectors.length; slot++) {
      const truth = unit(vectors[slot]!).reduce((sum, value, index) => sum + value * query[index]!, 0);
      expect(exact.dot(query, slot)).toBeCloseTo(truth, 6);
      expect(Math.abs(small.dot(query, slot) - truth)).toBeLessThan(0.002);
    }
    expect(small.bytes).toBeLessThan(exact.bytes / 3);
    const back = small.row(5);
    const original = unit(vectors[5] as Float32Array);
    expect(back).toHaveLength(37);
    back.forEach((value, index) => {
      expect(Math.abs(value - (original[index] as number))).toBeLessThan(0.01);
    });
    // A zero vector stays zero: no division by zero, a cosine of 0.
    small.set(40, new Float32Array(37));
    expect(small.dot(query, 40)).toBe(0);
  });

  it('an int8 index ranks like a float32 one', () => {
    const vectors = randomVectors(30, 64);
    const indexes = (['float32', 'int8'] as const).map((precision) => {
      const index = new SemanticIndex({ dimensions: 64, precision });
      vectors.forEach((vector, slot) => {
        index.add('p', { key: `k${slot}`, text: `question number ${slot}`, answer: `a${slot}` }, vector);
      });
      return index;
    });
    const [exact, small] = indexes.map((index) =>
      index.search('p', index.prepare('question number 3', vectors[3] as Float32Array)),
    ) as [ScoredPrompt[], ScoredPrompt[]];
    expect(small.map(({ key }) => key).slice(0, 3)).toEqual(exact.map(({ key }) => key).slice(0, 3));
    expect(small[0]?.dense).toBeCloseTo(1, 2);
  });
});
