import { hash } from 'node:crypto';
import { canonicalJson, DEFAULT_EXCLUDED_FIELDS } from '@prompt-cache/core/store-kit';

const EXCLUDED = new Set(DEFAULT_EXCLUDED_FIELDS);

/**
 * The key the peers (keyv, cache-manager) get, and the floor of every hit: SHA-256 of the request's canonical
 * JSON without the fields prompt-cache leaves out of its keys (`requestMetadata`, `metadata`), the same digest
 * prompt-cache derives, so that a comparison measures the caches and not two key schemes.
 */
export function requestKey(request: unknown): string {
  return hash('sha256', canonicalJson(request, EXCLUDED), 'hex');
}
