import { execFile } from 'node:child_process';
import { delay } from './processes.js';
import { type RedisServerHandle, startRedisServer } from './redis-server.js';
import { sendCommand } from './resp.js';

export interface RedisClusterOptions {
  /** Number of masters (Redis needs at least 3). No replicas. Default `3`. */
  masters?: number;
  /** Extra `redis-server` arguments for every node. Default none. */
  args?: string[];
  /** How long to wait for `cluster_state:ok` on every node. Default `20_000` ms. */
  readyTimeoutMs?: number;
}

/** A Redis Cluster of masters started by the harness. */
export interface RedisClusterHandle {
  /** The nodes' ports, in start order. */
  readonly ports: number[];
  /** Start-up nodes for `new Cluster(nodes)` or `createRedisStore({ cluster: { nodes } })`. */
  readonly nodes: Array<{ host: string; port: number }>;
  /** The single servers behind the nodes (to pause or kill one). */
  readonly servers: RedisServerHandle[];
  /** Stops every node by pid and removes their directories. */
  stop(): Promise<void>;
}

/**
 * Starts `masters` cluster-enabled servers on free ports, joins them with
 * `redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes`, and waits for `cluster_state:ok` on every node.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3) {
    throw new Error(`[test-redis] a Redis Cluster needs at least 3 masters; got ${masters}`);
  }
  const servers: RedisServerHandle[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    const started = await Promise.all(
      Array.from({ length: masters }, () =>
        startRedisServer({
          needsBusPort: true,
          // The config file path is relative to --dir, which is each server's own directory.
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
          ],
        }).then((server) => {
          servers.push(server);
          return server;
        }),
      ),
    );
    await createCluster(started.map((server) => server.port));
    await waitForClusterOk(
      started.map((server) => server.port),
      options.readyTimeoutMs ?? 20_000,
    );
    const ports = started.map((server) => server.port);
    return {
      ports,
      nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
      servers: started,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function createCluster(ports: number[]): Promise<void> {
  const args = [
    '--cluster',
    'create',
    ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas',
    '0',
  ];
  return new Promise((resolve, reject) => {
    execFile('redis-cli', [...args, '--cluster-yes'], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(`[test-redis] redis-cli --cluster create failed: ${String(stderr || stdout).trim()}`),
        );
      } else resolve();
    });
  });
}

async function waitForClusterOk(ports: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(ports);
  while (pending.size > 0) {
    for (const port of [...pending]) {
      const reply = await sendCommand(port, ['CLUSTER', 'INFO'], 1_000).catch(() => undefined);
      if (reply?.type === 'bulk' && reply.text?.includes('cluster_state:ok')) pending.delete(port);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`[test-redis] cluster nodes ${[...pending].join(', ')} did not reach cluster_state:ok`);
    }
    await delay(50);
  }
}
