import type { WireError } from './errors.js';

/**
 * Logs an answer of 500 or more that the gateway itself caused (not one passed through from the upstream), with
 * its stack: each one is a bug or an unforeseen input, and an operator must be able to see it.
 */
export function logInternalError(
  log: (line: string) => void,
  where: string,
  wire: WireError,
  error: unknown,
): void {
  if (wire.status < 500 || wire.upstream) return;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`[server] ${where.slice(0, 200)} failed: ${detail}`);
}
