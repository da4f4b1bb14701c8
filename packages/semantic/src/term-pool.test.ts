import { describe, expect, it } from 'vitest';
import { TermPool } from './term-pool.js';

const terms = (...ids: number[]) => ({
  ids: Int32Array.from(ids),
  tf: Uint16Array.from(ids, (id) => id + 1),
});

describe('TermPool', () => {
  it('keeps each slot’s terms apart past its first capacity, and takes slots in order only', () => {
    const pool = new TermPool();
    const many = Array.from({ length: 700 }, (_, slot) => terms(slot, slot + 1, slot + 2));
    many.forEach((vector, slot) => {
      pool.append(slot, vector);
    });
    pool.append(700, terms());
    for (const slot of [0, 1, 341, 699]) {
      expect([...pool.terms(slot).ids]).toEqual([slot, slot + 1, slot + 2]);
      expect([...pool.terms(slot).tf]).toEqual([slot + 1, slot + 2, slot + 3]);
    }
    expect(pool.terms(700).ids).toHaveLength(0);
    expect(() => pool.append(702, terms(1))).toThrow(RangeError);
  });
});
