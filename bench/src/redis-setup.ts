import { execFile } from 'node:child_process';
import {
  REDIS_INSTALL_HINT,
  type RedisServerHandle,
  redisAvailable,
  startRedisServer,
} from '@prompt-cache/test-redis';

/** Why the Redis parts cannot run here, or `undefined` when redis-server is on PATH. */
export function redisMissingReason(binary = 'redis-server'): string | undefined {
  return redisAvailable(binary)
    ? undefined
    : `${binary} is not on PATH, so the Redis measurements were skipped; install it with: ${REDIS_INSTALL_HINT}`;
}

/**
 * A throwaway redis-server on a free loopback port, started for this run and stopped after `use`
 * (never the machine's own server on 6379).
 */
export async function withRedisServer<Result>(
  use: (server: RedisServerHandle) => Promise<Result>,
): Promise<Result> {
  const server = await startRedisServer();
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

export interface RedisBenchmarkOptions {
  port: number;
  /** Connections (`-c`). */
  concurrency: number;
  /** Requests (`-n`). */
  requests: number;
}

/**
 * `redis-benchmark -t get` against `port`: GETs of the fixed key `key:__rand_int__` (no `-r`), which the
 * caller has set to a value of the size under test, so every GET is a hit of that size. Returns requests per second.
 */
export function redisBenchmarkGet(options: RedisBenchmarkOptions): Promise<number> {
  const args = [
    ...['-h', '127.0.0.1', '-p', String(options.port)],
    ...['-t', 'get', '-n', String(options.requests), '-c', String(options.concurrency), '--csv'],
  ];
  return new Promise((resolve, reject) => {
    execFile('redis-benchmark', args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`[bench] redis-benchmark failed: ${String(stderr).trim() || error.message}`));
        return;
      }
      // "test","rps",... then "GET","98039.22",...
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('"GET'));
      const rate = Number(line?.split(',')[1]?.replaceAll('"', ''));
      if (!Number.isFinite(rate)) reject(new Error(`[bench] unexpected redis-benchmark output: ${stdout}`));
      else resolve(rate);
    });
  });
}

/** The key `redis-benchmark -t get` reads when `-r` is not given. */
export const REDIS_BENCHMARK_KEY = 'key:__rand_int__';
