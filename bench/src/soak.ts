// `pnpm soak [--seconds 60]`: the gateway under a mixed load of hits and misses, on loopback, with a bounded
// request count (hits: autocannon for the duration; misses: at most 100 a second). Reports failed requests (goal 0) and the gateway's memory at the start and the end (goal: flat).
// `pnpm soak --chaos [--seconds 60] [--pause-seconds 10]`: the same under faults (chaos/chaos-soak.ts).
// `--quick`: 15 s instead of 60, so that either mode ends within a minute.
import { parseArgs } from 'node:util';
import { startGateway } from '@prompt-cache/server';
import { formatChaosReport } from './chaos/chaos-report.js';
import { runChaosSoak } from './chaos/chaos-soak.js';
import { loadTest } from './load-test.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    chaos: { type: 'boolean', default: false },
    'pause-seconds': { type: 'string', default: '10' },
  },
});
const wholeSeconds = (flag: string, text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${flag} must be a whole number >= 1; got ${text}`);
    process.exit(2);
  }
  return value;
};
const seconds = wholeSeconds('seconds', values.seconds ?? (values.quick ? '15' : '60'));

if (values.chaos) {
  const result = await runChaosSoak({
    seconds,
    pauseSeconds: wholeSeconds('pause-seconds', values['pause-seconds']),
    baselineSeconds: 3,
    idleSockets: 60,
  });
  for (const line of formatChaosReport(result)) console.log(line);
  process.exit(result.passed ? 0 : 1);
}

const gateway = await startGateway({
  port: 0,
  host: '127.0.0.1',
  upstream: 'simulator',
  cacheType: 'memory',
  simulatorLatencyMs: 2,
});
const url = `${gateway.url}/model/amazon.nova-lite-v1%3A0/converse`;
const headers = { 'content-type': 'application/json' };
const ask = (text: string) => JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] });

const memory = () => {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { rssMiB: usage.rss / 2 ** 20, heapMiB: usage.heapUsed / 2 ** 20 };
};

// Warm up, so that the start figure includes the code paths the soak exercises.
await loadTest({ url, method: 'POST', headers, body: ask('warm-up'), connections: 4, durationSeconds: 2 });
const start = memory();
// Hits from autocannon in its own process; misses (a new question each time) from a few callers here.
const missLoad = async () => {
  const result = { ok: 0, failed: 0 };
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  const caller = async () => {
    while (Date.now() < deadline && next < 100 * seconds) {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: ask(`a new question #${next++}`),
      }).catch(() => undefined);
      await response?.arrayBuffer();
      if (response?.ok) result.ok++;
      else result.failed++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, caller));
  return result;
};
const [hits, misses] = await Promise.all([
  loadTest({
    url,
    method: 'POST',
    headers,
    body: ask('the same question'),
    connections: 8,
    durationSeconds: seconds,
  }),
  missLoad(),
]);
const end = memory();
const stats = (await (await fetch(`${gateway.url}/v1/stats`)).json()) as Record<string, unknown>;
await gateway.close();

const failed = hits.failed + misses.failed;
console.log(
  `soak: ${seconds} s, ${hits.ok + misses.ok} requests answered (${hits.ok} to the hit load, ${misses.ok} to the miss load)`,
);
console.log(`  failed requests: ${failed} (goal 0)`);
console.log(`  gateway stats: hits ${stats.hits}, misses ${stats.misses}, errors ${stats.errors}`);
console.log(
  `  memory: rss ${start.rssMiB.toFixed(1)} -> ${end.rssMiB.toFixed(1)} MiB, heap ${start.heapMiB.toFixed(1)} -> ${end.heapMiB.toFixed(1)} MiB`,
);
process.exitCode = failed === 0 ? 0 : 1;
