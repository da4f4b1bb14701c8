import { hash } from 'node:crypto';

/**
 * The cache key of each Converse request body the gateway has answered, by the SHA-256 of the exact bytes
 * (with the namespace and the model). A client that sends the same bytes again (clients serialize the same
 * request the same way) is answered without parsing the JSON and deriving the key again: hashing 2 KB of
 * bytes costs about a microsecond, canonicalizing the parsed request several. The same bytes always give the
 * same key, so a remembered key is never wrong; at worst its entry is gone, and the request takes the usual
 * path.
 *
 * Bounded, in two generations: new keys go to the young one, and when it is full it becomes the old one and the
 * previous old one is forgotten. A key found in the old generation moves back to the young one. So a key in use
 * is kept, and a hit costs one map lookup (a strict LRU would move the key on every hit).
 */
export class RequestKeys {
  private young = new Map<string, string>();
  private old = new Map<string, string>();
  private readonly generationSize: number;

  constructor(maxKeys = 10_000) {
    this.generationSize = Math.max(1, Math.floor(maxKeys / 2));
  }

  /** What a body is remembered by: hash it once, then {@link get} and {@link remember} with it. */
  static idOf(namespace: string, modelId: string, body: Buffer): string {
    // Namespaces and model ids hold no newline (both are validated), so the fields cannot run into each other.
    return `${namespace}\n${modelId}\n${hash('sha256', body, 'base64')}`;
  }

  /** The key remembered for the body with this id, if any. */
  get(id: string): string | undefined {
    const key = this.young.get(id);
    if (key !== undefined) return key;
    const kept = this.old.get(id);
    if (kept !== undefined) this.remember(id, kept);
    return kept;
  }

  remember(id: string, key: string): void {
    this.young.set(id, key);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}
