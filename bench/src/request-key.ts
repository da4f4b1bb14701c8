import { hash } from 'node:crypto';
import { canonicalJson } from '@prompt-cache/core';

/**
 * The key the peers (keyv, cache-manager) get: SHA-256 of the request's canonical JSON, the same
 * digest prompt-cache derives, so that a comparison measures the caches and not two key schemes.
 */
export function requestKey(request: unknown): string {
  return hash('sha256', canonicalJson(request), 'hex');
}
