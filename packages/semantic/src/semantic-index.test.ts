import { describe, expect, it } from 'vitest';
import { SemanticIndex } from './semantic-index.js';

const vector = (...values: number[]) => Float32Array.from({ length: 4 }, (_, index) => values[index] ?? 0);

describe('SemanticIndex', () => {
  it('keeps partitions apart, replaces a key, and forgets removed prompts', () => {
    const index = new SemanticIndex({ dimensions: 4 });
    index.add('a', { key: 'k1', text: 'how to rotate nginx logs', answer: 'x' }, vector(1));
    index.add('b', { key: 'k2', text: 'how to rotate nginx logs', answer: 'y' }, vector(1));
    index.add('a', { key: 'k1', text: 'how to rotate apache logs', answer: 'z' }, vector(0, 1));
    expect(index.size('a')).toBe(1);
    expect(index.size()).toBe(2);
    const [best] = index.search('a', index.prepare('rotate apache logs', vector(0, 1)));
    expect(best).toMatchObject({ key: 'k1', answer: 'z' });
    expect(best!.dense).toBeCloseTo(1, 6);
    expect(index.remove('a', 'k1')).toBe(true);
    expect(index.search('a', index.prepare('rotate apache logs', vector(0, 1)))).toEqual([]);
    expect(() => index.add('a', { key: 'k3', text: 't', answer: 'a' }, [1, 2])).toThrow(/4/);
  });

  it('scores a large partition from its lexical candidates, and finds the one sharing the rare words', () => {
    const index = new SemanticIndex({ dimensions: 4, exactScanLimit: 10, candidates: 5 });
    for (let entry = 0; entry < 200; entry++) {
      index.add(
        'p',
        { key: `k${entry}`, text: `common words filler number ${entry}`, answer: `a${entry}` },
        vector(1),
      );
    }
    index.add(
      'p',
      { key: 'target', text: 'common zanzibar quokka question', answer: 'target' },
      vector(0, 1),
    );
    const scored = index.search('p', index.prepare('quokka of zanzibar', vector(0, 1)));
    expect(scored.length).toBeLessThanOrEqual(5);
    expect(scored[0]!.key).toBe('target');
  });
});
