import { parseStoredEntry, serializeEntry } from '../entry-format.js';

/**
 * Serialized entry bytes (as a file or Redis store keeps them) with one value byte flipped and the checksum
 * recomputed: damage only the value's own check can catch (an encrypted value's GCM tag). The flipped byte is
 * the third from the end, inside the text of a JSON string answer longer than two characters, so a missing
 * authentication check would decode a wrong answer rather than fail to parse. The key kept inside is unchanged.
 */
export function tamperWithStoredValue(raw: Uint8Array): Buffer {
  const { key, entry } = parseStoredEntry(raw);
  const value = Buffer.from(entry.value);
  value[value.length - 3] = value[value.length - 3]! ^ 0x01;
  const tampered = typeof entry.value === 'string' ? value.toString('utf8') : new Uint8Array(value);
  return serializeEntry({ ...entry, value: tampered }, key);
}
