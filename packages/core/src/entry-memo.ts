import { deepFreeze } from './clone.js';
import type { CacheEntry } from './entry.js';
import { entryHeadLength, parseEntry } from './entry-format.js';
import { InvalidOptionError } from './errors.js';

/** Parses serialized entries, remembering what it parsed: see {@link createEntryMemo}. */
export interface EntryMemo {
  /**
   * The entry in `raw`, read earlier under `id`: the same (frozen) object as last time when the bytes are
   * unchanged, else freshly parsed. Throws `CorruptEntryError` as {@link parseEntry} does.
   */
  parse(id: string, raw: Uint8Array): CacheEntry;
  /** Drops what is remembered under `id` (after a write or a delete). */
  forget(id: string): void;
  clear(): void;
  /** Bytes of serialized entries remembered now. */
  readonly bytes: number;
}

interface Remembered {
  /** A copy of the bytes parsed. */
  raw: Buffer;
  length: number;
  entry: CacheEntry;
}

/**
 * A memo of parsed entries for a store that reads serialized bytes (a network round trip is still made for
 * every read, so a changed or deleted entry is always seen). When the bytes read under an id are the very
 * bytes parsed last time (one memory comparison), the memo skips the checksum, the header JSON and the text
 * decoding, and returns the same entry object, which
 * lets the orchestrator reuse what it decoded from it (see `StoreFlags.reusesEntries`). Entries are frozen,
 * since several readers share them. Holds at most `maxBytes` of serialized entries, least recently read
 * first out; `0` remembers nothing.
 */
export function createEntryMemo(maxBytes: number): EntryMemo {
  if (!Number.isInteger(maxBytes) || maxBytes < 0) {
    throw new InvalidOptionError(
      `[core] an entry memo's size must be a whole number of bytes >= 0; got ${maxBytes}`,
    );
  }
  // A Map iterates in insertion order; re-inserting on every read makes its first key the least recent.
  const remembered = new Map<string, Remembered>();
  let bytes = 0;

  const forget = (id: string) => {
    const known = remembered.get(id);
    if (!known) return;
    remembered.delete(id);
    bytes -= known.length;
  };

  return {
    parse(id, raw) {
      const known = remembered.get(id);
      if (
        known !== undefined &&
        known.length === raw.byteLength &&
        // Every byte, not only the head: bytes changed behind an unchanged head (by hand, or by an attacker
        // with access to the store) must be parsed, and fail their checksum, never be answered from memory.
        known.raw.equals(raw)
      ) {
        remembered.delete(id);
        remembered.set(id, known);
        return known.entry;
      }
      forget(id);
      const entry = parseEntry(raw);
      const headLength = entryHeadLength(raw);
      if (raw.byteLength > maxBytes || headLength < 0) return entry;
      // A copy: `raw` may be a view of a much larger socket buffer that must not be kept alive.
      remembered.set(id, {
        raw: Buffer.from(raw),
        length: raw.byteLength,
        entry: deepFreeze(entry),
      });
      bytes += raw.byteLength;
      for (const [oldest, { length }] of remembered) {
        if (bytes <= maxBytes) break;
        remembered.delete(oldest);
        bytes -= length;
      }
      return entry;
    },
    forget,
    clear() {
      remembered.clear();
      bytes = 0;
    },
    get bytes() {
      return bytes;
    },
  };
}
