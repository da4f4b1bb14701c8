import { join } from 'node:path';
import { converseRequest } from '../fixtures.js';
import { startGatewayProcess } from '../gateway-process.js';
import { loadTest } from '../load-test.js';
import { median } from '../measure.js';
import { type ServerProcess, startServerProcess } from '../server-process.js';
import { type Goal, type Suite, verdictOf } from '../suite.js';
import { BENCH_DIRECTORY } from '../versions.js';

/** A bare node:http server, in a process of its own, that answers every request with these status, headers and bytes. */
function startBareServer(status: number, headers: Headers, body: Buffer): Promise<ServerProcess> {
  const kept: Record<string, string> = {};
  for (const [name, value] of headers.entries()) {
    if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name))
      kept[name] = value;
  }
  return startServerProcess(
    'bare node:http server',
    [
      ...['--import', 'tsx', join(BENCH_DIRECTORY, 'src', 'bare-server.ts')],
      ...[String(status), JSON.stringify(kept), body.toString('base64')],
    ],
    { cwd: BENCH_DIRECTORY },
  );
}

/**
 * Requests per second of cached Converse hits through the gateway, against a bare node:http server that
 * returns the same bytes, in the same run, loaded by autocannon (in its own process) on loopback.
 */
export const gatewaySuite: Suite = {
  id: 'gateway',
  title: 'Gateway: cached Converse hits per second vs a bare node:http server',
  async run(context) {
    const gateway = await startGatewayProcess();
    try {
      const request = converseRequest(0);
      const { modelId, ...body } = request;
      const path = `/model/${encodeURIComponent(modelId)}/converse`;
      const payload = JSON.stringify(body);
      const headers = { 'content-type': 'application/json' };
      // The first call is a miss that fills the cache; the second must be a hit, and its bytes are what the bare server sends.
      const first = await fetch(`${gateway.url}${path}`, { method: 'POST', headers, body: payload });
      await first.arrayBuffer();
      const hit = await fetch(`${gateway.url}${path}`, { method: 'POST', headers, body: payload });
      const hitBytes = Buffer.from(await hit.arrayBuffer());
      if (!hit.ok || hit.headers.get('x-prompt-cache') !== 'hit') {
        throw new Error(
          `[bench] the gateway did not answer the second call from its cache (status ${hit.status}, ` +
            `x-prompt-cache: ${hit.headers.get('x-prompt-cache')})`,
        );
      }
      const bare = await startBareServer(hit.status, hit.headers, hitBytes);
      try {
        const durationSeconds = context.quick ? 1 : 5;
        const rounds = context.quick ? 1 : 3;
        const connections = 50;
        const rates = { gateway: [] as number[], bare: [] as number[] };
        let failures = 0;
        const targets = [
          { name: 'bare' as const, url: `${bare.url}${path}` },
          { name: 'gateway' as const, url: `${gateway.url}${path}` },
        ];
        // A short warm-up of each (full runs only), then rounds in alternating order.
        for (const target of context.quick ? [] : targets) {
          await loadTest({
            url: target.url,
            connections,
            durationSeconds: 1,
            method: 'POST',
            headers,
            body: payload,
          });
        }
        for (let round = 0; round < rounds; round++) {
          for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
            const result = await loadTest({
              url: target.url,
              connections,
              durationSeconds,
              method: 'POST',
              headers,
              body: payload,
            });
            rates[target.name].push(result.requestsPerSecond);
            failures += result.failed;
          }
        }
        const gatewayRate = median(rates.gateway);
        const bareRate = median(rates.bare);
        const share = gatewayRate / bareRate;
        const goals: Goal[] = [
          {
            goal: 'gateway >= 60% of a bare node:http server',
            met: share >= 0.6,
            detail: `${(share * 100).toFixed(0)}%`,
          },
        ];
        return {
          id: this.id,
          title: this.title,
          reference: 'a bare node:http server returning the same bytes',
          columns: [
            { id: 'opsPerSecond', title: 'requests per second', format: 'rate' },
            { id: 'ratio', title: 'of the bare server', format: 'percent' },
            { id: 'note', title: 'note', format: 'text' },
          ],
          rows: [
            { label: 'bare node:http server, same bytes', opsPerSecond: bareRate, ratio: 1, note: 'floor' },
            {
              label: 'gateway (apps/server), cached Converse hit',
              opsPerSecond: gatewayRate,
              ratio: share,
              note: failures ? `${failures} failed responses` : 'every response 2xx',
            },
          ],
          goals,
          verdicts: goals.map(verdictOf),
          notes: [
            `autocannon, ${connections} connections, ${durationSeconds} s per round, ${rounds} round(s) in ` +
              `alternating order${context.quick ? '' : ' after a 1 s warm-up each'}; median round. Each server ` +
              `runs in a process of its own (the gateway as the built \`prompt-cache serve\`), and so does autocannon. ` +
              `Request: the ~2 KB Converse request of the hit path, as POST ${path}.`,
            'The bare server writes each answer as soon as it has read the request. The gateway writes the first ' +
              "answer finished in a turn of the event loop at once and the rest of that turn's answers together " +
              'at its end (apps/server/src/replies.ts), so that autocannon, which reads all 50 connections in one ' +
              'process, is woken once per turn rather than once per answer.',
          ],
          chart: {
            title: 'Cached hits per second over HTTP (higher is better)',
            unit: 'rate',
            bars: [
              { label: 'bare node:http server', value: bareRate },
              { label: 'gateway', value: gatewayRate, highlight: true },
            ],
          },
        };
      } finally {
        await bare.stop();
      }
    } finally {
      await gateway.stop();
    }
  },
};
