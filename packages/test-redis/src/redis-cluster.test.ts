import { afterAll, expect, it } from 'vitest';
import { type RedisClusterHandle, startRedisCluster } from './redis-cluster.js';
import { sendCommand } from './resp.js';
import { describeWithRedisCluster } from './vitest.js';

describeWithRedisCluster('startRedisCluster', () => {
  // One cluster, started and stopped within the one test that reads it: no test depends on another's cluster.
  let cluster: RedisClusterHandle | undefined;
  afterAll(() => cluster?.stop());

  it('starts three masters that all report cluster_state:ok and share the 16384 slots, and stops every node', async () => {
    cluster = await startRedisCluster({ masters: 3 });
    expect(cluster.ports).toHaveLength(3);
    expect(cluster.nodes).toEqual(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
    for (const port of cluster.ports) {
      const info = await sendCommand(port, ['CLUSTER', 'INFO']);
      expect(info.type === 'bulk' && info.text).toMatch(/cluster_state:ok/);
      expect(info.type === 'bulk' && info.text).toMatch(/cluster_slots_assigned:16384/);
    }

    const pids = cluster.servers.map((server) => server.pid);
    await cluster.stop();
    for (const port of cluster.ports) await expect(sendCommand(port, ['PING'])).rejects.toThrow();
    expect(pids).toHaveLength(3);
  });
});
