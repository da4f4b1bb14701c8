import { describe, expect, it } from 'vitest';
import { requestId } from './request-ids.js';

describe('requestId', () => {
  it('is shaped like a version 4 UUID and never repeats, across a change of prefix', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 140_000; index++) seen.add(requestId());
    expect(seen.size).toBe(140_000);
    for (const id of [...seen].slice(-3)) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const prefixes = new Set([...seen].map((id) => id.slice(0, 32)));
    expect(prefixes.size).toBeGreaterThanOrEqual(2);
  });
});
