import { InvalidTtlError } from './errors.js';

/** Default TTL: one hour, the course's "medium" setting for general Q&A. */
export const DEFAULT_TTL_SECONDS = 3600;

/** The longest finite TTL: 10 years. Longer ones overflow expiry dates; use `0` for no expiry. */
export const MAX_TTL_SECONDS = 315_360_000;

/**
 * Validates a TTL in seconds. `0` (or `Infinity`) means no expiry. Strings of digits are accepted,
 * since TTLs often come from flags and environment variables.
 * @throws {InvalidTtlError} for negative, NaN or non-numeric values, and finite ones over {@link MAX_TTL_SECONDS}.
 */
export function parseTtlSeconds(value: unknown, where = 'ttl'): number {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || Number.isNaN(seconds) || seconds < 0)
    throw new InvalidTtlError(value, where);
  if (seconds > MAX_TTL_SECONDS && Number.isFinite(seconds))
    throw new InvalidTtlError(value, where, MAX_TTL_SECONDS);
  return seconds;
}

/** The expiry timestamp for an entry written at `now`, or `null` for no expiry. */
export function expiryFor(ttlSeconds: number, now: number): number | null {
  return ttlSeconds === 0 || ttlSeconds === Number.POSITIVE_INFINITY
    ? null
    : now + Math.round(ttlSeconds * 1000);
}
