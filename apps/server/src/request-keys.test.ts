import { describe, expect, it } from 'vitest';
import { fingerprintOf } from './body-fingerprint.js';
import { RequestKeys } from './request-keys.js';

const idOf = (body: string, namespace = 'team-a', modelId = 'model-x') =>
  RequestKeys.idOf(namespace, modelId, Buffer.from(body));

describe('RequestKeys', () => {
  it('finds a body by namespace, model and exact bytes', () => {
    const keys = new RequestKeys();
    keys.remember(idOf('{"messages":[]}'), 'key-1');
    expect(keys.get(idOf('{"messages":[]}'))).toBe('key-1');
    expect(keys.get(idOf('{"messages":[]}', 'team-b'))).toBeUndefined();
    expect(keys.get(idOf('{"messages":[]}', 'team-a', 'model-y'))).toBeUndefined();
    expect(keys.get(idOf('{"messages": []}'))).toBeUndefined();
  });

  it('never answers with the key of another body that has the same fingerprint', () => {
    const keys = new RequestKeys();
    const remembered = idOf('{"messages":["a"]}');
    keys.remember(remembered, 'key-a');
    // Another body, forced onto the same fingerprint (as a collision, or a crafted body, would be).
    const other = { ...idOf('{"messages":["b"]}'), fingerprint: remembered.fingerprint };
    expect(keys.get(other)).toBeUndefined();
    keys.remember(other, 'key-b');
    expect(keys.get(other)).toBe('key-b');
    expect(keys.get(remembered)).toBeUndefined(); // it took the place: the first body now takes the usual path
  });

  it('keeps its own copy of the bytes', () => {
    const keys = new RequestKeys();
    const body = Buffer.from('{"messages":["a"]}');
    const id = RequestKeys.idOf('team-a', 'model-x', body);
    keys.remember(id, 'key-a');
    body.write('b', 14); // the request's buffer is reused for something else
    expect(keys.get(idOf('{"messages":["a"]}'))).toBe('key-a');
  });

  it('keeps at most its bound, and keeps the keys in use', () => {
    const keys = new RequestKeys({ maxKeys: 100 });
    keys.remember(idOf('hot'), 'key-hot');
    for (let index = 0; index < 1000; index++) {
      keys.remember(idOf(`cold-${index}`), `key-${index}`);
      expect(keys.get(idOf('hot'))).toBe('key-hot');
    }
    const kept = Array.from({ length: 1000 }, (_, index) => keys.get(idOf(`cold-${index}`))).filter(Boolean);
    expect(kept.length).toBeLessThanOrEqual(100);
    expect(kept.length).toBeGreaterThanOrEqual(49); // at least the newest generation
    expect(keys.get(idOf('cold-999'))).toBe('key-999');
    expect(keys.get(idOf('cold-0'))).toBeUndefined();
  });

  it('keeps at most its bytes, and does not remember a body larger than half of them', () => {
    const keys = new RequestKeys({ maxBytes: 4000 });
    const bodies = Array.from({ length: 100 }, (_, index) => `${index}`.padEnd(100, '.'));
    for (const [index, body] of bodies.entries()) keys.remember(idOf(body), `key-${index}`);
    const kept = bodies.filter((body) => keys.get(idOf(body)) !== undefined);
    expect(kept.length).toBeLessThanOrEqual(40);
    expect(kept.length).toBeGreaterThanOrEqual(19);
    keys.remember(idOf('x'.repeat(2001)), 'key-large');
    expect(keys.get(idOf('x'.repeat(2001)))).toBeUndefined();
  });
});

describe('fingerprintOf', () => {
  it('depends on every byte, the length, the namespace and the model, wherever the body starts', () => {
    const body = Buffer.from(`{"messages":[{"role":"user","content":[{"text":"${'q'.repeat(2000)}"}]}]}`);
    const seen = new Set<number>();
    for (let index = 0; index < body.length; index++) {
      const changed = Buffer.from(body);
      changed[index] = changed[index]! ^ 1;
      seen.add(fingerprintOf('ns', 'model', changed));
    }
    for (let cut = 1; cut <= 7; cut++)
      seen.add(fingerprintOf('ns', 'model', body.subarray(0, body.length - cut)));
    seen.add(fingerprintOf('ns', 'model', body));
    seen.add(fingerprintOf('ns2', 'model', body));
    seen.add(fingerprintOf('ns', 'model2', body));
    expect(seen.size).toBe(body.length + 7 + 3);
    // The same bytes at an odd offset of a larger buffer (as a body read in pieces may be).
    const shifted = Buffer.concat([Buffer.from('abc'), body]).subarray(3);
    expect(fingerprintOf('ns', 'model', shifted)).toBe(fingerprintOf('ns', 'model', body));
    const large = Buffer.alloc(200_000, 'a');
    expect(fingerprintOf('ns', 'model', large)).toBe(fingerprintOf('ns', 'model', Buffer.from(large)));
    expect(fingerprintOf('ns', 'model', large)).not.toBe(fingerprintOf('ns', 'model', large.subarray(1)));
    expect(Number.isSafeInteger(fingerprintOf('ns', 'model', body))).toBe(true);
  });
});
