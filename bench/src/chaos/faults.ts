import net from 'node:net';
import type { RedisServerHandle } from '@prompt-cache/test-redis';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What was done to Redis. */
export interface RedisFaults {
  kills: number;
  pauses: number;
  /** Each fault and recovery with its time in seconds since `origin`, e.g. `12.0 s kill`. */
  timeline: string[];
}

/**
 * Until `running()` is false, in a cycle: healthy, killed (SIGKILL, its data gone) and restarted on the same port,
 * healthy, paused (SIGSTOP) and resumed (SIGCONT). Leaves Redis running and resumed.
 */
export async function redisFaultCycle(
  redis: RedisServerHandle,
  running: () => boolean,
  origin: number,
  timing = { healthyMs: 2_000, downMs: 1_000, pausedMs: 2_000 },
): Promise<RedisFaults> {
  const faults: RedisFaults = { kills: 0, pauses: 0, timeline: [] };
  const log = (what: string) =>
    faults.timeline.push(`${((performance.now() - origin) / 1000).toFixed(1)} s ${what}`);
  try {
    while (running()) {
      await sleep(timing.healthyMs);
      if (!running()) break;
      redis.kill();
      faults.kills += 1;
      log('kill');
      await sleep(timing.downMs);
      await redis.restart();
      log('restarted');
      await sleep(timing.healthyMs);
      if (!running()) break;
      redis.pause();
      faults.pauses += 1;
      log('SIGSTOP');
      await sleep(timing.pausedMs);
      redis.resume();
      log('SIGCONT');
    }
  } finally {
    redis.resume();
  }
  return faults;
}

/** Sockets held open on the gateway: idle, or stalled part-way through an HTTP/1.1 request or the HTTP/2 preface. */
export interface IdleSockets {
  /** Stops reopening and closes them all; resolves with how many times the gateway closed one of them. */
  close(): number;
}

const STALLED_OPENINGS = [
  '', // connects and sends nothing
  'POST /model/amazon.nova-lite-v1%3A0/converse HTTP/1.1\r\nHost: 127.0.0.1\r\n', // headers never end
  'PRI * HTTP/2.0\r\n', // half the HTTP/2 preface
];

/** Opens `count` sockets that never finish a request, and reopens each one the gateway closes (its timeouts). */
export function holdIdleSockets(baseUrl: string, count: number): IdleSockets {
  const { hostname, port } = new URL(baseUrl);
  const sockets = new Set<net.Socket>();
  let closedByGateway = 0;
  let holding = true;
  const open = (index: number) => {
    const socket = net.connect(Number(port), hostname, () => {
      const opening = STALLED_OPENINGS[index % STALLED_OPENINGS.length]!;
      if (opening) socket.write(opening);
    });
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (!holding) return;
      closedByGateway += 1;
      setTimeout(() => holding && open(index), 100);
    });
  };
  for (let index = 0; index < count; index++) open(index);
  return {
    close() {
      holding = false;
      for (const socket of sockets) socket.destroy();
      return closedByGateway;
    },
  };
}
