import { randomUUID } from 'node:crypto';
import type { CacheLock } from '@prompt-cache/core';
import type { LockHandle } from '@prompt-cache/core/store-kit';
import type { Cluster, Redis } from 'ioredis';
import { BreakerOpenError } from './circuit-breaker.js';
import type { Connection } from './connection.js';
import type { KeyLayout } from './key-layout.js';

// Deletes the lock only while it still holds our token: a holder whose lock expired (and was taken by
// another process) must not release the other process's lock.
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** The lock plus what the store must release on close. */
export interface RedisLock extends CacheLock {
  close(): Promise<void>;
}

/**
 * Distributed single-flight: `SET <keyPrefix>lock:<key> <token> NX PX ttl` to take a lock, a compare-and-delete
 * script and a PUBLISH on `<keyPrefix>lock-released` to release it. Waiters listen on that channel through one
 * lazily created subscriber connection, and also poll for the lock every `lockPollMs` as a safety net (a lost
 * message, or a holder that died and whose lock simply expired).
 */
export function createRedisLock(connection: Connection, layout: KeyLayout): RedisLock {
  const waiters = new Map<string, Set<() => void>>();
  let subscriber: Redis | Cluster | undefined;
  let subscribed: Promise<unknown> | undefined;
  let closed = false;

  // Locks this process may still hold in Redis though nobody here computes under them: a release the circuit
  // breaker skipped, or a SET NX that timed out here but runs in Redis once it answers again. Without this, every
  // other caller of the key would wait for them (up to the cache's lockWaitMs) until they expire. They are
  // released in the background, by token, until Redis answers or they expire by themselves.
  const orphans = new Map<string, { key: string; lockKey: string; expiresAt: number }>();
  let sweepTimer: NodeJS.Timeout | undefined;
  const scheduleSweep = (): void => {
    if (closed || sweepTimer || orphans.size === 0) return;
    sweepTimer = setTimeout(() => void sweep(), connection.options.lockPollMs);
    sweepTimer.unref();
  };
  const sweep = async (): Promise<void> => {
    sweepTimer = undefined;
    for (const [token, orphan] of orphans) {
      if (connection.options.clock.now() >= orphan.expiresAt) {
        orphans.delete(token);
        continue;
      }
      try {
        await connection.run((client) => client.eval(RELEASE_SCRIPT, 1, orphan.lockKey, token));
      } catch {
        break; // Redis is still not answering: the next sweep tries again
      }
      orphans.delete(token);
      await connection.run((client) => client.publish(layout.lockChannel, orphan.key)).catch(() => undefined);
    }
    scheduleSweep();
  };
  const orphan = (key: string, lockKey: string, token: string, ttlMs: number): void => {
    orphans.set(token, { key, lockKey, expiresAt: connection.options.clock.now() + ttlMs });
    scheduleSweep();
  };

  const subscribe = (): Promise<unknown> => {
    if (!subscriber) {
      subscriber = connection.duplicateForSubscribe();
      subscriber.on('message', (channel: string, key: string) => {
        if (channel !== layout.lockChannel) return;
        for (const wake of [...(waiters.get(key) ?? [])]) wake();
      });
    }
    if (!subscribed) {
      subscribed = subscriber.subscribe(layout.lockChannel);
      subscribed.catch(() => {
        subscribed = undefined; // try again on the next wait; polling covers the meantime
      });
    }
    return subscribed;
  };

  return {
    async acquire(key, ttlMs) {
      const token = randomUUID();
      const lockKey = layout.lock(key);
      const ttl = Math.max(1, Math.ceil(ttlMs));
      let reply: string | null;
      try {
        reply = await connection.run((client) => client.set(lockKey, token, 'PX', ttl, 'NX'));
      } catch (error) {
        // A skipped command never reached Redis; any other failure may have taken the lock all the same.
        if (!(error instanceof BreakerOpenError)) orphan(key, lockKey, token, ttl);
        throw error;
      }
      if (reply !== 'OK') return null;
      let released = false;
      const handle: LockHandle = {
        async release() {
          if (released) return;
          released = true;
          try {
            await connection.run((client) => client.eval(RELEASE_SCRIPT, 1, lockKey, token));
          } catch (error) {
            // Skipped, or not sent: the lock is still held. (Releasing twice is harmless: it goes by token.)
            orphan(key, lockKey, token, ttl);
            throw error;
          }
          // Published even when the lock had expired: waiters then read the entry we just stored.
          await connection.run((client) => client.publish(layout.lockChannel, key));
        },
      };
      return handle;
    },

    waitForRelease(key, timeoutMs) {
      return new Promise<void>((resolve) => {
        if (closed) return resolve();
        let settled = false;
        let pollTimer: NodeJS.Timeout | undefined;
        const set = waiters.get(key) ?? new Set<() => void>();
        waiters.set(key, set);
        const finish = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timeoutTimer);
          clearTimeout(pollTimer);
          set.delete(finish);
          if (set.size === 0 && waiters.get(key) === set) waiters.delete(key);
          resolve();
        };
        set.add(finish);
        const timeoutTimer = setTimeout(finish, Math.max(0, timeoutMs));
        const check = async () => {
          if (settled) return;
          try {
            const held = await connection.run((client) => client.exists(layout.lock(key)));
            if (!held) return finish();
          } catch {
            return finish(); // Redis is unreachable: stop waiting, the cache fails open
          }
          if (!settled) pollTimer = setTimeout(check, connection.options.lockPollMs);
        };
        // Check once the subscription is in place (a release before that would be missed), then poll.
        let graceTimer: NodeJS.Timeout | undefined;
        const grace = new Promise((wake) => {
          graceTimer = setTimeout(wake, connection.options.lockPollMs);
        });
        void Promise.race([subscribe().catch(() => undefined), grace]).then(() => {
          clearTimeout(graceTimer);
          void check();
        });
      });
    },

    async close() {
      closed = true;
      clearTimeout(sweepTimer);
      for (const set of waiters.values()) for (const wake of [...set]) wake();
      waiters.clear();
      if (subscriber) {
        subscriber.disconnect();
        subscriber = undefined;
        subscribed = undefined;
      }
    },
  };
}
