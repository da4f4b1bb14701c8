import type { CacheEntry } from '@prompt-cache/core';
import { describe, expect, it } from 'vitest';
import { createNearCache } from './near-cache.js';

const entry = (value: string): CacheEntry => ({ version: 1, value, createdAt: 0, expiresAt: null, meta: {} });

describe('near cache', () => {
  it('remembers a read only while tracking is on, from a read begun after it came on', () => {
    const near = createNearCache(1000);
    const early = near.beginRead('k');
    near.activate();
    near.finishRead('k', early, entry('sent before tracking'), 10);
    expect(near.get('k')).toBeUndefined();
    near.finishRead('k', near.beginRead('k'), entry('tracked'), 10);
    expect(near.get('k')?.value).toBe('tracked');
    near.deactivate();
    expect(near.get('k')).toBeUndefined();
    near.finishRead('k', near.beginRead('k'), entry('while off'), 10);
    expect(near.get('k')).toBeUndefined();
  });

  it('does not remember a read whose key was invalidated while it was in flight', () => {
    const near = createNearCache(1000);
    near.activate();
    const first = near.beginRead('k');
    const second = near.beginRead('k');
    near.invalidate(['k']);
    near.finishRead('k', first, entry('maybe stale'), 10);
    near.finishRead('k', second, entry('maybe stale'), 10);
    expect(near.get('k')).toBeUndefined();
    const flushed = near.beginRead('k');
    near.invalidate(null);
    near.finishRead('k', flushed, entry('maybe stale'), 10);
    expect(near.get('k')).toBeUndefined();
    near.finishRead('k', near.beginRead('k'), entry('fresh'), 10);
    expect(near.get('k')?.value).toBe('fresh');
  });

  it('holds at most maxBytes, least recently read first out', () => {
    const near = createNearCache(25);
    near.activate();
    for (const key of ['a', 'b']) near.finishRead(key, near.beginRead(key), entry(key), 10);
    near.get('a');
    near.finishRead('c', near.beginRead('c'), entry('c'), 10);
    expect([near.get('a')?.value, near.get('b'), near.get('c')?.value]).toEqual(['a', undefined, 'c']);
    near.finishRead('big', near.beginRead('big'), entry('big'), 26);
    expect(near.get('big')).toBeUndefined();
    expect(near.entries).toBe(2);
  });
});
