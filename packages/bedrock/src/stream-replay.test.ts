import { describe, expect, it } from 'vitest';
import { pacingFactor, replayEvents } from './stream-replay.js';

const events = [0, 100, 100.4, 100.8, 101.2, 400].map((atMs, index) => ({ atMs, event: { index } }));

async function replay(pacing: Parameters<typeof pacingFactor>[0], signal?: AbortSignal) {
  const waits: number[] = [];
  const seen: unknown[] = [];
  const sleep = async (milliseconds: number) => {
    waits.push(Math.round(milliseconds * 100) / 100);
  };
  for await (const event of replayEvents(events, { pacing, sleep, ...(signal ? { signal } : {}) }))
    seen.push(event);
  return { waits, seen };
}

describe('replaying a recorded stream', () => {
  it('sends everything at once by default', async () => {
    const { waits, seen } = await replay('none');
    expect(waits).toEqual([]);
    expect(seen).toEqual(events.map((recorded) => recorded.event));
  });

  it('keeps the recorded gaps, carrying sub-millisecond gaps over', async () => {
    expect((await replay('original')).waits).toEqual([100, 1.2, 298.8]);
  });

  it('scales the gaps by a speed factor', async () => {
    expect((await replay(2)).waits).toEqual([50, 150]);
  });

  it('stops with an AbortError when the call is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(replay('none', controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses pacing that makes no sense', () => {
    expect(() => pacingFactor(0)).toThrow(/speed factor/);
    expect(() => pacingFactor('fast' as never)).toThrow(/replayPacing/);
    expect(pacingFactor('original')).toBe(1);
  });
});
