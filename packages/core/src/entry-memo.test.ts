import { describe, expect, it } from 'vitest';
import type { CacheEntry } from './entry.js';
import { parseEntry, serializeEntry } from './entry-format.js';
import { createEntryMemo } from './entry-memo.js';
import { CorruptEntryError } from './errors.js';

const entry = (value: string, createdAt = 1_700_000_000_000): CacheEntry => ({
  version: 1,
  value,
  createdAt,
  expiresAt: null,
  meta: { model: 'amazon.nova-lite-v1:0', usage: { inputTokens: 3, outputTokens: 5 } },
});

describe('createEntryMemo', () => {
  it('returns the same frozen entry while the bytes are unchanged', () => {
    const memo = createEntryMemo(1_000_000);
    const bytes = serializeEntry(entry('{"a":1}'));
    const first = memo.parse('k', bytes);
    expect(first).toEqual(parseEntry(bytes));
    expect(memo.parse('k', Buffer.from(bytes))).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.meta) && Object.isFrozen(first.meta.usage)).toBe(
      true,
    );
    expect(memo.bytes).toBe(bytes.byteLength);
  });

  it('parses again when the entry was rewritten, even with a value of the same length', () => {
    const memo = createEntryMemo(1_000_000);
    const first = memo.parse('k', serializeEntry(entry('{"a":1}')));
    const rewritten = memo.parse('k', serializeEntry(entry('{"a":2}', 1_700_000_000_001)));
    expect(rewritten).not.toBe(first);
    expect(rewritten.value).toBe('{"a":2}');
    const sameTimeOtherValue = memo.parse('k', serializeEntry(entry('{"a":3}', 1_700_000_000_001)));
    expect(sameTimeOtherValue.value).toBe('{"a":3}'); // the checksum in the head differs
  });

  it('never answers from memory once the stored bytes changed, even behind an unchanged head', () => {
    const memo = createEntryMemo(1_000_000);
    const bytes = serializeEntry(entry('{"a":1}'));
    const first = memo.parse('k', bytes);
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 2]! ^= 0x01; // a byte of the value; head and length unchanged
    expect(() => memo.parse('k', tampered)).toThrow(CorruptEntryError);
    expect(memo.parse('k', bytes)).not.toBe(first); // parsed afresh: the tampered read forgot it
  });

  it('keeps ids apart', () => {
    const memo = createEntryMemo(1_000_000);
    const bytes = serializeEntry(entry('{"a":1}'));
    expect(memo.parse('k1', bytes)).not.toBe(memo.parse('k2', bytes));
  });

  it('throws CorruptEntryError for bytes it cannot parse, and forgets the id', () => {
    const memo = createEntryMemo(1_000_000);
    memo.parse('k', serializeEntry(entry('{"a":1}')));
    expect(() => memo.parse('k', Buffer.from('not an entry'))).toThrow(CorruptEntryError);
    expect(memo.bytes).toBe(0);
  });

  it('holds at most maxBytes, dropping the least recently read first', () => {
    const one = serializeEntry(entry('{"a":1}'));
    const memo = createEntryMemo(one.byteLength * 2);
    const a = memo.parse('a', one);
    const b = memo.parse('b', one);
    expect(memo.parse('a', one)).toBe(a); // a is now the most recent
    memo.parse('c', one); // over the limit: b goes
    expect(memo.bytes).toBe(one.byteLength * 2);
    expect(memo.parse('a', one)).toBe(a);
    expect(memo.parse('b', one)).not.toBe(b);
  });

  it('remembers nothing bigger than maxBytes, nothing at all with 0, and forgets on request', () => {
    const bytes = serializeEntry(entry('{"a":1}'));
    const small = createEntryMemo(bytes.byteLength - 1);
    expect(small.parse('k', bytes)).not.toBe(small.parse('k', bytes));
    const off = createEntryMemo(0);
    expect(off.parse('k', bytes)).not.toBe(off.parse('k', bytes));
    const memo = createEntryMemo(1_000_000);
    const first = memo.parse('k', bytes);
    memo.forget('k');
    expect(memo.parse('k', bytes)).not.toBe(first);
    memo.clear();
    expect(memo.bytes).toBe(0);
  });

  it('refuses a size that is not a whole number of bytes', () => {
    expect(() => createEntryMemo(-1)).toThrow(/whole number of bytes >= 0; got -1/);
  });
});
