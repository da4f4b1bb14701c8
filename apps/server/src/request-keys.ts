import { fingerprintOf } from './body-fingerprint.js';

/** A Converse body the gateway was sent, as RequestKeys finds it: its fingerprint and what it is made of. */
export interface BodyId {
  fingerprint: number;
  namespace: string;
  modelId: string;
  body: Buffer;
}

/** A body remembered with its cache key; its own copy of the bytes. */
interface Remembered {
  namespace: string;
  modelId: string;
  body: Buffer;
  key: string;
}

/** Options of {@link RequestKeys}. */
export interface RequestKeysOptions {
  /** Most bodies remembered. Default `10000`. */
  maxKeys?: number;
  /** Most bytes of bodies remembered. Default 32 MiB. */
  maxBytes?: number;
}

/**
 * The cache key of each Converse request body the gateway has answered, by its exact bytes (with the namespace
 * and the model). A client that sends the same bytes again (clients serialize the same request the same way) is
 * answered without parsing the JSON and deriving the key again: fingerprinting and comparing 2 KB of bytes costs
 * well under a microsecond, canonicalizing the parsed request several. A body is found by its fingerprint and
 * then compared byte for byte, so a remembered key is never another body's; at worst its entry is gone, or
 * another body with the same fingerprint took its place, and the request takes the usual path.
 *
 * Bounded, in two generations: new keys go to the young one, and when it is full (in bodies or in bytes) it
 * becomes the old one and the previous old one is forgotten. A key found in the old generation moves back to the
 * young one. So a key in use is kept, and a hit costs one map lookup (a strict LRU would move the key on every
 * hit).
 */
export class RequestKeys {
  private young = new Map<number, Remembered>();
  private old = new Map<number, Remembered>();
  private youngBytes = 0;
  private readonly generationSize: number;
  private readonly generationBytes: number;

  constructor({ maxKeys = 10_000, maxBytes = 32 * 1024 * 1024 }: RequestKeysOptions = {}) {
    this.generationSize = Math.max(1, Math.floor(maxKeys / 2));
    this.generationBytes = Math.floor(maxBytes / 2);
  }

  /** What a body is found by: make it once, then {@link get} and {@link remember} with it. */
  static idOf(namespace: string, modelId: string, body: Buffer): BodyId {
    return { fingerprint: fingerprintOf(namespace, modelId, body), namespace, modelId, body };
  }

  /** The key remembered for this body, if any. */
  get(id: BodyId): string | undefined {
    const young = this.young.get(id.fingerprint);
    if (young !== undefined) return same(young, id) ? young.key : undefined;
    const kept = this.old.get(id.fingerprint);
    if (kept === undefined || !same(kept, id)) return undefined;
    this.keep(id.fingerprint, kept);
    return kept.key;
  }

  /** Remembers the key of a body (a body larger than half the bytes allowed is not remembered). */
  remember(id: BodyId, key: string): void {
    if (id.body.length > this.generationBytes) return;
    // A copy: the request's buffer may be a view of a larger one that should not be kept alive.
    this.keep(id.fingerprint, {
      namespace: id.namespace,
      modelId: id.modelId,
      body: Buffer.from(id.body),
      key,
    });
  }

  private keep(fingerprint: number, remembered: Remembered): void {
    const replaced = this.young.get(fingerprint);
    if (replaced) this.youngBytes -= replaced.body.length;
    this.young.set(fingerprint, remembered);
    this.youngBytes += remembered.body.length;
    if (this.young.size >= this.generationSize || this.youngBytes >= this.generationBytes) {
      this.old = this.young;
      this.young = new Map();
      this.youngBytes = 0;
    }
  }
}

function same(remembered: Remembered, id: BodyId): boolean {
  return (
    remembered.namespace === id.namespace &&
    remembered.modelId === id.modelId &&
    remembered.body.equals(id.body)
  );
}
