import { describe, expect, it } from 'vitest';
import { createReadBatcher } from './read-batcher.js';

/** A readMany that records each call and answers `value:<key>`, or `null` for keys starting with "missing". */
function recordingReader() {
  const calls: string[][] = [];
  const readMany = async (keys: string[]) => {
    calls.push(keys);
    return keys.map((key) => (key.startsWith('missing') ? null : Buffer.from(`value:${key}`)));
  };
  return { calls, readMany };
}

describe('createReadBatcher', () => {
  it('sends the reads of one tick as one call, each caller getting its own value', async () => {
    const { calls, readMany } = recordingReader();
    const read = createReadBatcher(readMany, 100);
    const values = await Promise.all(['a', 'missing', 'b', 'a'].map(read));
    expect(calls).toEqual([['a', 'missing', 'b', 'a']]);
    expect(values.map((value) => value?.toString() ?? null)).toEqual(['value:a', null, 'value:b', 'value:a']);
  });

  it('splits a large tick into calls of at most maxKeys keys', async () => {
    const { calls, readMany } = recordingReader();
    const read = createReadBatcher(readMany, 2);
    const values = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(read));
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(values.map(String)).toEqual(['value:a', 'value:b', 'value:c', 'value:d', 'value:e']);
  });

  it('starts a new call for reads issued after the previous one went out', async () => {
    const { calls, readMany } = recordingReader();
    const read = createReadBatcher(readMany, 100);
    await read('a');
    await Promise.all([read('b'), read('c')]);
    expect(calls).toEqual([['a'], ['b', 'c']]);
  });

  it('fails every read of a failed call with its error, and only those', async () => {
    let fail = true;
    const read = createReadBatcher(async (keys) => {
      if (fail) throw new Error('connection lost');
      return keys.map((key) => Buffer.from(key));
    }, 100);
    const failed = await Promise.allSettled([read('a'), read('b')]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason).toBe((failed[1] as PromiseRejectedResult).reason);
    fail = false;
    expect(String(await read('c'))).toBe('c');
  });

  it('answers null when the reply is shorter than the batch, instead of leaving a caller waiting', async () => {
    const read = createReadBatcher(async () => [Buffer.from('only one')], 100);
    const values = await Promise.all([read('a'), read('b')]);
    expect(values.map((value) => value?.toString() ?? null)).toEqual(['only one', null]);
  });
});
