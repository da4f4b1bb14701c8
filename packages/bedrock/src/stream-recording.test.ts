import { describe, expect, it, vi } from 'vitest';
import { StreamAbandonedError } from './errors.js';
import { createStreamRecording } from './stream-recording.js';

/** A source the test feeds by hand. */
function manualSource<Event>() {
  const queue: Array<IteratorResult<Event> | { error: unknown }> = [];
  let wake: (() => void) | undefined;
  const returned = vi.fn();
  const push = (item: IteratorResult<Event> | { error: unknown }) => {
    queue.push(item);
    wake?.();
  };
  const source: AsyncIterable<Event> = {
    [Symbol.asyncIterator]: () => ({
      async next() {
        while (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
        const item = queue.shift()!;
        if ('error' in item) throw item.error;
        return item;
      },
      async return() {
        returned();
        return { done: true, value: undefined };
      },
    }),
  };
  return {
    source,
    returned,
    emit: (value: Event) => push({ done: false, value }),
    end: () => push({ done: true, value: undefined }),
    fail: (error: unknown) => push({ error }),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a stream recording', () => {
  it('lets readers join late and read at their own pace, each with its own copies', async () => {
    const upstream = manualSource<{ n: number }>();
    let time = 0;
    const recording = createStreamRecording(upstream.source, { now: () => time, startedAt: 0 });
    const early = recording.read()[Symbol.asyncIterator]();
    time = 5;
    upstream.emit({ n: 1 });
    const first = await early.next();
    expect(first).toEqual({ done: false, value: { n: 1 } });
    (first.value as { n: number }).n = 99;
    time = 9;
    upstream.emit({ n: 2 });
    upstream.end();
    const late = [];
    for await (const event of recording.read()) late.push(event);
    expect(late).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await recording.delivered).toEqual([
      { atMs: 5, event: { n: 1 } },
      { atMs: 9, event: { n: 2 } },
    ]);
    expect(await early.next()).toEqual({ done: false, value: { n: 2 } });
    expect((await early.next()).done).toBe(true);
  });

  it('delivers only when a reader has read to the end', async () => {
    const upstream = manualSource<number>();
    const recording = createStreamRecording(upstream.source);
    const reader = recording.read()[Symbol.asyncIterator]();
    upstream.emit(1);
    upstream.end();
    await tick();
    let delivered = false;
    void recording.delivered.then(() => {
      delivered = true;
    });
    await tick();
    expect(delivered).toBe(false);
    await reader.next();
    await reader.next();
    await tick();
    expect(delivered).toBe(true);
  });

  it('gives an upstream error to every reader, after the events before it', async () => {
    const upstream = manualSource<number>();
    const recording = createStreamRecording(upstream.source);
    const readers = [recording.read(), recording.read()];
    upstream.emit(1);
    upstream.fail(new Error('ThrottlingException'));
    for (const reader of readers) {
      const seen: number[] = [];
      await expect(
        (async () => {
          for await (const event of reader) seen.push(event);
        })(),
      ).rejects.toThrow('ThrottlingException');
      expect(seen).toEqual([1]);
    }
    await expect(recording.delivered).rejects.toThrow('ThrottlingException');
    expect(recording.joinable).toBe(false);
  });

  it('cancels the upstream when every reader has left, and only then', async () => {
    const upstream = manualSource<number>();
    const cancel = vi.fn();
    const recording = createStreamRecording(upstream.source, { cancel });
    const first = recording.read()[Symbol.asyncIterator]();
    const second = recording.read()[Symbol.asyncIterator]();
    upstream.emit(1);
    await first.next();
    await first.return?.();
    expect(cancel).not.toHaveBeenCalled();
    await second.next();
    await second.return?.();
    expect(cancel).toHaveBeenCalledTimes(1);
    await expect(recording.delivered).rejects.toBeInstanceOf(StreamAbandonedError);
    upstream.emit(2);
    await vi.waitFor(() => expect(upstream.returned).toHaveBeenCalled());
    expect(recording.joinable).toBe(false);
  });

  it('stores nothing when the only reader leaves after the upstream had already ended', async () => {
    const upstream = manualSource<number>();
    const recording = createStreamRecording(upstream.source);
    const reader = recording.read()[Symbol.asyncIterator]();
    upstream.emit(1);
    upstream.emit(2);
    upstream.end();
    await reader.next();
    await tick();
    await reader.return?.();
    await expect(recording.delivered).rejects.toBeInstanceOf(StreamAbandonedError);
  });
});
