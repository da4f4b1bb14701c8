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
  it('sends the reads of one tick as two halves, each caller getting its own value', async () => {
    const { calls, readMany } = recordingReader();
    const read = createReadBatcher(readMany, 100);
    const values = await Promise.all(['a', 'missing', 'b', 'a', 'c'].map(read));
    expect(calls).toEqual([
      ['a', 'missing', 'b'],
      ['a', 'c'],
    ]);
    expect(values.map((value) => value?.toString() ?? null)).toEqual([
      'value:a',
      null,
      'value:b',
      'value:a',
      'value:c',
    ]);
  });

  it('never puts more than maxKeys keys in one call', async () => {
    const { calls, readMany } = recordingReader();
    const read = createReadBatcher(readMany, 2);
    const values = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(read));
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(values.map(String)).toEqual(['value:a', 'value:b', 'value:c', 'value:d', 'value:e']);
  });

  it('sends a lone read at once, and sizes later batches by the reads still in flight', async () => {
    // Replies come only when the test says so, as they would from a server.
    const calls: string[][] = [];
    const replies: Array<() => void> = [];
    const read = createReadBatcher(
      (keys) =>
        new Promise((resolve) => {
          calls.push(keys);
          replies.push(() => resolve(keys.map((key) => Buffer.from(key))));
        }),
      100,
    );
    const lone = read('a');
    await new Promise(process.nextTick);
    expect(calls).toEqual([['a']]);
    replies.shift()!();
    await lone;

    // 8 reads in flight: halves of 4. When the first half is answered its callers read again while the
    // second half is still out: 8 in flight again, so their 4 reads make one batch of 4, not two of 2.
    const first = ['b', 'c', 'd', 'e'].map(read);
    const second = ['f', 'g', 'h', 'i'].map(read);
    await new Promise(process.nextTick);
    replies.shift()!();
    const again = (await Promise.all(first)).map((value) => read(`${value}2`));
    await new Promise(process.nextTick);
    while (replies.length > 0) replies.shift()!();
    await Promise.all([...second, ...again]);
    expect(calls.slice(1)).toEqual([
      ['b', 'c', 'd', 'e'],
      ['f', 'g', 'h', 'i'],
      ['b2', 'c2', 'd2', 'e2'],
    ]);
  });

  it('fails every read of a failed call with its error, and only those', async () => {
    let fail = true;
    const lost = new Error('connection lost');
    const read = createReadBatcher(async (keys) => {
      if (fail) throw lost;
      return keys.map((key) => Buffer.from(key));
    }, 100);
    const failed = await Promise.allSettled([read('a'), read('b')]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(failed.map((outcome) => (outcome as PromiseRejectedResult).reason)).toEqual([lost, lost]);
    fail = false;
    expect(String(await read('c'))).toBe('c');
  });

  it('answers null when the reply is shorter than the batch, instead of leaving a caller waiting', async () => {
    const read = createReadBatcher(async () => [Buffer.from('only one')], 100);
    const values = await Promise.all(['a', 'b', 'c', 'd'].map(read)); // two calls of two keys
    expect(values.map((value) => value?.toString() ?? null)).toEqual(['only one', null, 'only one', null]);
  });
});
