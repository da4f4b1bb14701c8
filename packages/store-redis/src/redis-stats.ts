import type { StatsBackend } from '@prompt-cache/core/store-kit';
import type { Connection } from './connection.js';

// Adds every delta in one atomic step. Whole-number deltas use HINCRBY and fractional ones HINCRBYFLOAT;
// a whole delta for a field that already holds a fraction (savedUsd can sum to exactly 1) falls back to
// HINCRBYFLOAT instead of failing with "hash value is not an integer".
const ADD_SCRIPT = `
for i = 1, #ARGV, 2 do
  local field, delta = ARGV[i], ARGV[i + 1]
  if string.find(delta, '^-?%d+$') then
    local reply = redis.pcall('HINCRBY', KEYS[1], field, delta)
    if type(reply) == 'table' and reply.err then redis.call('HINCRBYFLOAT', KEYS[1], field, delta) end
  else
    redis.call('HINCRBYFLOAT', KEYS[1], field, delta)
  end
end
return 1
`;

/**
 * Statistics shared by every process that uses the same Redis and key prefix: one hash, `<keyPrefix>stats`,
 * whose fields are core's counters and histogram buckets. A single key, so it works unchanged on a Cluster.
 */
export function createRedisStats(connection: Connection, statsKey: string): StatsBackend {
  return {
    async add(deltas) {
      const args: string[] = [];
      for (const [field, delta] of Object.entries(deltas)) {
        if (typeof delta === 'number' && Number.isFinite(delta) && delta !== 0)
          args.push(field, String(delta));
      }
      if (args.length === 0) return;
      await connection.run((client) => client.eval(ADD_SCRIPT, 1, statsKey, ...args));
    },
    async read() {
      const fields = await connection.run((client) => client.hgetall(statsKey));
      const result: Record<string, number> = {};
      for (const [field, value] of Object.entries(fields)) {
        const amount = Number(value);
        if (Number.isFinite(amount)) result[field] = amount;
      }
      return result;
    },
    async reset() {
      await connection.run((client) => client.unlink(statsKey));
    },
  };
}
