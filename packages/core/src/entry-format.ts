import { crc32 } from 'node:zlib';
import { type CacheEntry, ENTRY_SCHEMA_VERSION, type EntryMeta } from './entry.js';
import { CorruptEntryError } from './errors.js';

// One byte layout for every store that persists entries (file, Redis):
//   "PC<version> <crc32 hex of the rest>\n" + header JSON + "\n" + value bytes
// The checksum turns any torn, truncated or flipped byte into a detectable miss instead of garbage.
const MAGIC = 'PC';
const MAGIC_P = 0x50;
const MAGIC_C = 0x43;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
const LOWER_A = 0x61;

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
  // Byte by byte rather than through strings and regular expressions: this runs on every hit.
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (bytes[0] !== MAGIC_P || bytes[1] !== MAGIC_C || bytes.indexOf(NEWLINE) < 0)
    throw new CorruptEntryError('not a prompt-cache entry');
  let at = 2;
  let version = 0;
  while (isDigit(bytes[at])) version = version * 10 + bytes[at++]! - DIGIT_0;
  if (at === 2 || version !== ENTRY_SCHEMA_VERSION) {
    const versionEnd = bytes.indexOf(SPACE, 2);
    throw new CorruptEntryError(
      `unknown entry version ${bytes.toString('latin1', 2, versionEnd < 0 ? bytes.indexOf(NEWLINE) : versionEnd)}`,
    );
  }
  const checksum = bytes[at] === SPACE ? readHex32(bytes, at + 1) : -1;
  const bodyStart = at + 10;
  if (checksum < 0 || bytes[bodyStart - 1] !== NEWLINE || crc32(bytes.subarray(bodyStart)) !== checksum) {
    throw new CorruptEntryError('checksum mismatch');
  }
  const headerEnd = bytes.indexOf(NEWLINE, bodyStart);
  if (headerEnd < 0) throw new CorruptEntryError('missing header');
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', bodyStart, headerEnd)) as Header;
  } catch (cause) {
    throw new CorruptEntryError('header is not JSON', { cause });
  }
  if (!isHeader(header)) throw new CorruptEntryError('header has the wrong shape');
  const valueStart = headerEnd + 1;
  if (bytes.byteLength - valueStart !== header.length) throw new CorruptEntryError('truncated value');
  return {
    key: header.key,
    entry: {
      version,
      value: header.binary ? new Uint8Array(bytes.subarray(valueStart)) : bytes.toString('utf8', valueStart),
      createdAt: header.createdAt,
      expiresAt: header.expiresAt,
      meta: header.meta ?? {},
    },
  };
}

/**
 * Length of the head of serialized bytes: the first line (version and checksum) and the header line, i.e.
 * everything but the value; `-1` when there is no such head. Two entries of the same total length and the same head
 * hold the same value, since the head carries the checksum of the rest.
 */
export function entryHeadLength(raw: Uint8Array): number {
  const firstEnd = raw.indexOf(NEWLINE);
  const headerEnd = firstEnd < 0 ? -1 : raw.indexOf(NEWLINE, firstEnd + 1);
  return headerEnd < 0 ? -1 : headerEnd + 1;
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= DIGIT_0 && byte <= DIGIT_0 + 9;
}

/** The 8 lowercase hex digits at `start` as a number, or -1 when they are not that. */
function readHex32(bytes: Buffer, start: number): number {
  let value = 0;
  for (let at = start; at < start + 8; at++) {
    const byte = bytes[at];
    const digit =
      byte === undefined ? -1 : byte >= DIGIT_0 && byte <= DIGIT_0 + 9 ? byte - DIGIT_0 : byte - LOWER_A + 10;
    if (digit < 0 || digit > 15) return -1;
    value = value * 16 + digit;
  }
  return value;
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
