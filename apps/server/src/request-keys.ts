import { hash } from 'node:crypto';

/**
 * The cache key of each Converse request body the gateway has answered, by the SHA-256 of the exact bytes
 * (with the namespace and the model). A client that sends the same bytes again (clients serialize the same
 * request the same way) is answered without parsing the JSON and deriving the key again: hashing 2 KB of
 * bytes costs about a microsecond, canonicalizing the parsed request several. The same bytes always give the
 * same key, so a remembered key is never wrong; at worst its entry is gone, and the request takes the usual
 * path. Bounded; the least recently used key is forgotten first.
 */
export class RequestKeys {
  private readonly keys = new Map<string, string>();

  constructor(private readonly maxKeys = 10_000) {}

  /** What a body is remembered by: hash it once, then {@link get} and {@link remember} with it. */
  static idOf(namespace: string, modelId: string, body: Buffer): string {
    // Namespaces and model ids hold no newline (both are validated), so the fields cannot run into each other.
    return `${namespace}\n${modelId}\n${hash('sha256', body, 'base64')}`;
  }

  /** The key remembered for the body with this id, if any. */
  get(id: string): string | undefined {
    const key = this.keys.get(id);
    if (key !== undefined) {
      // Most recently used last.
      this.keys.delete(id);
      this.keys.set(id, key);
    }
    return key;
  }

  remember(id: string, key: string): void {
    this.keys.delete(id);
    this.keys.set(id, key);
    if (this.keys.size > this.maxKeys) this.keys.delete(this.keys.keys().next().value!);
  }
}
