import { createServer } from 'node:net';

// Ports come from 20000-29999: below Linux's ephemeral range (32768+), so outgoing client sockets never hold
// them, and port + 10000 (a Cluster node's bus port) stays a valid port.
const FIRST = 20_000;
const SPAN = 10_000;

/** True when nothing listens on 127.0.0.1:`port` (checked by binding it for a moment). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port that is free on 127.0.0.1 now (and, with `withBusPort`, so is port + 10000 for a Cluster bus).
 * Random, so that parallel test files rarely race for the same one; the caller still retries on a clash.
 */
export async function findFreePort(options: { withBusPort?: boolean } = {}): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST + Math.floor(Math.random() * SPAN);
    if (!(await isPortFree(port))) continue;
    if (options.withBusPort && !(await isPortFree(port + 10_000))) continue;
    return port;
  }
  throw new Error('[test-redis] found no free port in 20000-29999');
}
