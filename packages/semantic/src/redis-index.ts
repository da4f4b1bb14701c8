import { randomBytes } from 'node:crypto';
import { InvalidOptionError } from '@prompt-cache/core';
import {
  encodePrompt,
  type IndexStorage,
  type IndexStorageContext,
  namespaceSuffix,
  reportOnce,
  restorePrompt,
} from './index-storage.js';

/**
 * The part of an ioredis `Redis` or `Cluster` client the index uses: `@prompt-cache/semantic` never loads ioredis
 * itself, so users without Redis pay nothing for it.
 */
export interface RedisIndexClient {
  call(command: string, ...args: Array<string | number>): Promise<unknown>;
  duplicate(...args: never[]): unknown;
  disconnect(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly options: object;
}

/** What {@link redisIndex} needs: a `RedisStore` of `@prompt-cache/store-redis` has all of it. */
export interface RedisIndexSource {
  /** An ioredis `Redis` or `Cluster` client. */
  readonly client: RedisIndexClient;
  readonly isCluster: boolean;
  /** Prefix of the index's keys (the store's). */
  readonly keyPrefix: string;
  /** Resolves once Redis answers (the store's `ping()`): the first load waits for the connection. */
  ping?(): Promise<void>;
}

/** Options of {@link redisIndex}. */
export interface RedisIndexOptions {
  /** Longest wait of one blocking read of the change stream; a shorter one costs more round trips. Default `1000` ms. */
  blockMs?: number;
  /** Changes kept in the stream (approximately) for processes that follow it. Default `10_000`. */
  streamLength?: number;
  /** Wait before trying Redis again after a failure. Default `1000` ms. */
  retryMs?: number;
  /**
   * Keeps the prompts of one cache namespace under keys of their own, `<keyPrefix>{semantic.<namespace>}:prompts`
   * and `...:changes`: a process serving many namespaces (the gateway) loads and follows each one's index with that
   * namespace, and no other's prompts. Default: one index for every namespace, `<keyPrefix>{semantic}:...`.
   */
  namespace?: string;
}

/** Adds (ARGV[2] = the record) or removes (ARGV[2] = '') one prompt, and tells the other processes. */
const CHANGE_SCRIPT = `
if ARGV[2] == '' then
  if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return false end
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'o', ARGV[3], 'f', ARGV[1], 'r', ARGV[2])`;

const PARTITION_LENGTH = 64;
const BATCH = 1000;

/**
 * Keeps the index in Redis, shared by every process on the same Redis and key prefix: the prompts, their vectors
 * and answer ids in a hash `<keyPrefix>{semantic}:prompts`, and each change in a stream `<keyPrefix>{semantic}:changes`.
 * Each process loads the hash on start and follows the stream with a blocking read, so a prompt one process
 * learns is served by the others within a round trip. Both keys share one hash tag, so on a Cluster they live in one
 * slot (one master holds the index). When Redis is unreachable the index carries on in memory, reports once,
 * and reloads the hash when Redis is back.
 * @example createSemanticStage({ split, persist: redisIndex(store) })
 * @example persist: redisIndex(store, { namespace: 'tenant-a' }) // <keyPrefix>{semantic.tenant-a}:prompts
 */
export function redisIndex(source: RedisIndexSource, options: RedisIndexOptions = {}): IndexStorage {
  if (typeof source?.client?.call !== 'function' || typeof source.keyPrefix !== 'string') {
    throw new InvalidOptionError(
      '[semantic] redisIndex needs a Redis store (createRedisStore from @prompt-cache/store-redis), e.g. redisIndex(store)',
    );
  }
  const { client } = source;
  const blockMs = options.blockMs ?? 1000;
  const streamLength = options.streamLength ?? 10_000;
  const retryMs = options.retryMs ?? 1000;
  // One hash tag for both keys: on a Cluster they share a slot.
  const tag = `{semantic${namespaceSuffix(options.namespace, 'redisIndex')}}`;
  const prompts = `${source.keyPrefix}${tag}:prompts`;
  const changes = `${source.keyPrefix}${tag}:changes`;
  /** Marks this process's changes in the stream, which it has applied already. */
  const origin = randomBytes(8).toString('hex');
  const writes = new Set<Promise<unknown>>();
  let context: IndexStorageContext | undefined;
  let failures: ReturnType<typeof reportOnce> | undefined;
  let blocking: RedisIndexClient | undefined;
  let closed = false;
  let following: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;

  const change = (partition: string, key: string, record: string) => {
    if (closed) return;
    const write = client
      .call('EVAL', CHANGE_SCRIPT, 2, prompts, changes, `${partition}:${key}`, record, origin, streamLength)
      .catch((error: Error) =>
        failures?.failed(new Error(`[semantic] could not save to the Redis index: ${error.message}`)),
      )
      .finally(() => writes.delete(write));
    writes.add(write);
  };

  /** Adds a saved prompt (`record` a JSON string) or, with an empty record, removes it. */
  const apply = (field: string, record: string) => {
    const partition = field.slice(0, PARTITION_LENGTH);
    const key = field.slice(PARTITION_LENGTH + 1);
    if (record === '') context!.index.remove(partition, key);
    else restorePrompt(context!.index, partition, key, JSON.parse(record));
  };

  /** Loads every saved prompt; returns the stream id to follow from (changes before it are in the hash). */
  const load = async (): Promise<string> => {
    await source.ping?.();
    const [last] = (await client.call('XREVRANGE', changes, '+', '-', 'COUNT', 1)) as [string, unknown][];
    let cursor = '0';
    do {
      const [next, flat] = (await client.call('HSCAN', prompts, cursor, 'COUNT', BATCH)) as [
        string,
        string[],
      ];
      for (let at = 0; at < flat.length; at += 2) {
        try {
          apply(flat[at]!, flat[at + 1]!);
        } catch {
          // Not a record this code wrote: left out.
        }
      }
      cursor = next;
    } while (cursor !== '0');
    return last?.[0] ?? '0-0';
  };

  /** Applies what the other processes changed after `after`; returns the id of the last change read. */
  const follow = async (after: string): Promise<string> => {
    const reply = await blocking!.call('XREAD', 'COUNT', BATCH, 'BLOCK', blockMs, 'STREAMS', changes, after);
    let last = after;
    for (const [id, flat] of streamEntriesOf(reply)) {
      last = id;
      const fields = new Map<string, string>();
      for (let at = 0; at + 1 < flat.length; at += 2) fields.set(flat[at]!, flat[at + 1]!);
      if (fields.get('o') === origin) continue;
      try {
        apply(fields.get('f') ?? '', fields.get('r') ?? '');
      } catch {
        // A change this code cannot read: left out.
      }
    }
    return last;
  };

  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, retryMs);
      timer.unref?.();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Loads, then follows the stream until closed; after a failure, waits and loads again. */
  const run = async (loaded: () => void) => {
    let after: string | undefined;
    while (!closed) {
      try {
        if (after === undefined) {
          after = await load();
          loaded();
        }
        after = await follow(after);
        failures!.recovered();
      } catch (error) {
        loaded();
        if (closed) return;
        failures!.failed(
          new Error(
            `[semantic] the Redis index is unreachable, the index carries on in memory: ${(error as Error).message}`,
          ),
        );
        after = undefined;
        await pause();
      }
    }
  };

  return {
    name: `redis ${prompts}`,
    open(opened) {
      context = opened;
      failures = reportOnce(opened.report);
      blocking = duplicateForBlocking(source);
      // Its failures reach the loop through the rejected read; without a listener ioredis would print each one.
      blocking.on('error', () => undefined);
      return new Promise<void>((resolve) => {
        following = run(resolve);
      });
    },
    added(partition, prompt, vector) {
      change(partition, prompt.key, JSON.stringify(encodePrompt(prompt, vector)));
    },
    removed(partition, key) {
      change(partition, key, '');
    },
    async flush() {
      await Promise.all(writes);
    },
    async close() {
      await Promise.all(writes);
      closed = true;
      wake?.();
      blocking?.disconnect();
      await following;
    },
  };
}

type StreamEntry = [id: string, fields: string[]];

/**
 * The entries of the one stream read: RESP2 answers `[[name, entries]]`, RESP3 a map that ioredis flattens to
 * `[name, entries]`; a read that timed out answers null.
 */
function streamEntriesOf(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  return (typeof reply[0] === 'string' ? reply[1] : reply[0][1]) ?? [];
}

/**
 * A connection of its own for the blocking read (a blocked connection serves nothing else), without the store's
 * command timeout (the read blocks for `blockMs` on purpose), queueing commands until it is connected.
 */
function duplicateForBlocking({ client, isCluster }: RedisIndexSource): RedisIndexClient {
  const blockingOptions = { commandTimeout: undefined, enableOfflineQueue: true };
  if (isCluster) {
    const { redisOptions } = client.options as { redisOptions?: object };
    const duplicate = client.duplicate as (nodes: never[], options: object) => RedisIndexClient;
    return duplicate.call(client, [], {
      enableOfflineQueue: true,
      redisOptions: { ...redisOptions, ...blockingOptions },
    });
  }
  const duplicate = client.duplicate as (options: object) => RedisIndexClient;
  return duplicate.call(client, blockingOptions);
}
