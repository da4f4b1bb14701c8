import { crc32 } from 'node:zlib';
import { type CacheEntry, ENTRY_SCHEMA_VERSION, type EntryMeta } from './entry.js';
import { CorruptEntryError } from './errors.js';

// One byte layout for every store that persists entries (file, Redis):
//   "PC<version> <crc32 hex of the rest>\n" + header JSON + "\n" + value bytes
// The checksum turns any torn, truncated or flipped byte into a detectable miss instead of garbage.
const MAGIC = 'PC';
const NEWLINE = 0x0a;

interface Header {
  createdAt: number;
  expiresAt: number | null;
  meta: EntryMeta;
  /** True when the value is bytes; false when it is UTF-8 text. */
  binary: boolean;
  /** Value length in bytes, to tell a truncated value from a short one. */
  length: number;
  /** The cache key, for stores that cannot recover it from where the entry lives (file names are hashes). */
  key?: string;
}

/** Serializes an entry for a persistent store; `key` is kept inside when given. */
export function serializeEntry(entry: CacheEntry, key?: string): Buffer {
  const value = typeof entry.value === 'string' ? Buffer.from(entry.value) : Buffer.from(entry.value);
  const header: Header = {
    createdAt: entry.createdAt,
    expiresAt: entry.expiresAt,
    meta: entry.meta,
    binary: typeof entry.value !== 'string',
    length: value.byteLength,
    ...(key === undefined ? {} : { key }),
  };
  const body = Buffer.concat([Buffer.from(JSON.stringify(header)), Buffer.from([NEWLINE]), value]);
  const first = `${MAGIC}${entry.version} ${crc32(body).toString(16).padStart(8, '0')}\n`;
  return Buffer.concat([Buffer.from(first), body]);
}

/** Parses what {@link serializeEntry} wrote. Throws {@link CorruptEntryError} on anything else. */
export function parseEntry(raw: Uint8Array): CacheEntry {
  return parseStoredEntry(raw).entry;
}

/** Like {@link parseEntry}, and also returns the key kept inside, if any. */
export function parseStoredEntry(raw: Uint8Array): { key: string | undefined; entry: CacheEntry } {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const firstEnd = bytes.indexOf(NEWLINE);
  if (firstEnd < 0 || bytes.toString('latin1', 0, 2) !== MAGIC)
    throw new CorruptEntryError('not a prompt-cache entry');
  const space = bytes.indexOf(0x20, 2);
  const versionEnd = space < 0 || space > firstEnd ? firstEnd : space;
  const versionText = bytes.toString('latin1', 2, versionEnd);
  const version = Number(versionText);
  if (version !== ENTRY_SCHEMA_VERSION) throw new CorruptEntryError(`unknown entry version ${versionText}`);
  const checksum = bytes.toString('latin1', versionEnd + 1, firstEnd);
  const body = bytes.subarray(firstEnd + 1);
  if (!/^[0-9a-f]{8}$/.test(checksum) || crc32(body) !== Number.parseInt(checksum, 16)) {
    throw new CorruptEntryError('checksum mismatch');
  }
  const headerEnd = body.indexOf(NEWLINE);
  if (headerEnd < 0) throw new CorruptEntryError('missing header');
  let header: Header;
  try {
    header = JSON.parse(body.toString('utf8', 0, headerEnd)) as Header;
  } catch (cause) {
    throw new CorruptEntryError('header is not JSON', { cause });
  }
  if (!isHeader(header)) throw new CorruptEntryError('header has the wrong shape');
  const value = body.subarray(headerEnd + 1);
  if (value.byteLength !== header.length) throw new CorruptEntryError('truncated value');
  return {
    key: header.key,
    entry: {
      version,
      value: header.binary ? new Uint8Array(value) : value.toString('utf8'),
      createdAt: header.createdAt,
      expiresAt: header.expiresAt,
      meta: header.meta ?? {},
    },
  };
}

function isHeader(value: unknown): value is Header {
  if (value === null || typeof value !== 'object') return false;
  const header = value as Record<string, unknown>;
  return (
    typeof header.createdAt === 'number' &&
    (header.expiresAt === null || typeof header.expiresAt === 'number') &&
    typeof header.binary === 'boolean' &&
    typeof header.length === 'number' &&
    (header.meta === undefined || (typeof header.meta === 'object' && header.meta !== null)) &&
    (header.key === undefined || typeof header.key === 'string')
  );
}
