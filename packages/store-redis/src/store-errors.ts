import { CorruptEntryError, StoreUnavailableError } from '@prompt-cache/core/store-kit';

const AUTH_FAILURE = /^(WRONGPASS|NOAUTH|NOPERM)\b|invalid password|invalid username-password/i;
/** The reply parser met bytes that are no Redis reply: the server speaks another protocol. */
const NOT_RESP = /Unknown RESP type|Protocol error/i;

/** The store errors of one connection: each names the server and the fix, in one line. */
export interface StoreErrors {
  /** The server did not answer within `commandTimeoutMs`. */
  timeoutError(cause?: unknown): StoreUnavailableError;
  /** The server cannot be reached, or refused the credentials, or is no Redis server. */
  unreachable(cause?: unknown): StoreUnavailableError;
  /** Any failure of an operation, as a store error. */
  toStoreError(error: unknown): Error;
}

/**
 * The error mapping of a connection to `target`. `lastError` is the client's last connection error, which says
 * why the server is unreachable.
 */
export function createStoreErrors(
  target: string,
  commandTimeoutMs: number,
  lastError: () => Error | undefined,
): StoreErrors {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  const reasonOf = (error: Error | undefined) => {
    if (!error) return 'not connected';
    const code = (error as NodeJS.ErrnoException).code;
    if (code) return code;
    const message = oneLine(error.message);
    return message.length > 80 ? `${message.slice(0, 77)}...` : message;
  };

  const timeoutError = (cause?: unknown) =>
    new StoreUnavailableError(
      `[store-redis] ${target} did not answer within ${commandTimeoutMs} ms; is the server paused or overloaded? (raise commandTimeoutMs if it is only slow)`,
      { timeout: true, cause },
    );
  const unreachable = (cause?: unknown) => {
    const last = lastError();
    if (last && AUTH_FAILURE.test(last.message)) return refusedCredentials(last);
    if (last && NOT_RESP.test(last.message)) return notRedis(last);
    return new StoreUnavailableError(
      `[store-redis] cannot reach ${target} (${reasonOf(last)}); is redis-server running?`,
      { cause: cause ?? last },
    );
  };
  // Something answered, but not in the Redis protocol (an HTTP server answers "HTTP/1.1 ...": RESP type 72).
  const notRedis = (cause: Error) =>
    new StoreUnavailableError(
      `[store-redis] ${target} is not a Redis server (it answered in another protocol, such as HTTP); check the host and port`,
      { cause },
    );
  const refusedCredentials = (cause: Error) =>
    new StoreUnavailableError(
      `[store-redis] ${target} refused the credentials (${oneLine(cause.message).split(' ')[0]}); check username and password`,
      { cause },
    );

  const toStoreError = (error: unknown): Error => {
    if (error instanceof StoreUnavailableError || error instanceof CorruptEntryError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (/Command timed out/i.test(message)) return timeoutError(error);
    if (/^(WRONGPASS|NOAUTH)\b/.test(message)) return refusedCredentials(error as Error);
    if (NOT_RESP.test(message)) return notRedis(error as Error);
    if (/^NOPERM\b/.test(message)) {
      return new StoreUnavailableError(
        `[store-redis] ${target} denied a command (${oneLine(message)}); grant the store's user the commands listed in the README`,
        { cause: error },
      );
    }
    if (
      /Stream isn't writeable|Connection is closed|Cluster isn't ready|max retries per request|None of startup nodes|Failed to refresh slots|CLUSTERDOWN/i.test(
        message,
      ) ||
      (error as NodeJS.ErrnoException).code !== undefined
    ) {
      return unreachable(error);
    }
    return new StoreUnavailableError(`[store-redis] ${target} failed: ${oneLine(message)}`, { cause: error });
  };

  return { timeoutError, unreachable, toStoreError };
}
