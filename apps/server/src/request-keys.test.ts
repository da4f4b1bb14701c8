import { describe, expect, it } from 'vitest';
import { RequestKeys } from './request-keys.js';

describe('RequestKeys', () => {
  it('names a body by namespace, model and bytes', () => {
    const body = Buffer.from('{"messages":[]}');
    const id = RequestKeys.idOf('team-a', 'model-x', body);
    expect(RequestKeys.idOf('team-a', 'model-x', Buffer.from(body))).toBe(id);
    expect(RequestKeys.idOf('team-b', 'model-x', body)).not.toBe(id);
    expect(RequestKeys.idOf('team-a', 'model-y', body)).not.toBe(id);
    expect(RequestKeys.idOf('team-a', 'model-x', Buffer.from('{"messages": []}'))).not.toBe(id);
  });

  it('keeps at most its bound, and keeps the keys in use', () => {
    const keys = new RequestKeys(100);
    keys.remember('hot', 'key-hot');
    for (let index = 0; index < 1000; index++) {
      keys.remember(`cold-${index}`, `key-${index}`);
      expect(keys.get('hot')).toBe('key-hot');
    }
    const kept = Array.from({ length: 1000 }, (_, index) => keys.get(`cold-${index}`)).filter(Boolean);
    expect(kept.length).toBeLessThanOrEqual(100);
    expect(kept.length).toBeGreaterThanOrEqual(49); // at least the newest generation
    expect(keys.get('cold-999')).toBe('key-999');
    expect(keys.get('cold-0')).toBeUndefined();
  });
});
