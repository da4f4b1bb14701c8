import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '@prompt-cache/server';
import { isolateAwsSdk } from '../aws-environment.js';
import { converseRequest } from '../fixtures.js';
import { loadTest } from '../load-test.js';
import { median } from '../measure.js';
import { type Goal, type Suite, verdictOf } from '../suite.js';

/**
 * Starts apps/server (the gateway) in this process on a free loopback port, answering misses with its in-process
 * simulator (no latency) and keeping entries in memory. Environment variables are not read, so a developer's
 * PROMPT_CACHE_* settings cannot change what is measured.
 */
function startBenchGateway() {
  return startGateway({
    port: 0,
    host: '127.0.0.1',
    upstream: 'simulator',
    cacheType: 'memory',
    simulatorLatencyMs: 0,
    environment: {},
  });
}

/** A bare node:http server that answers every request with the same status, headers and bytes. */
async function startBareServer(status: number, headers: IncomingHttpHeaders, body: Buffer) {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)) continue;
    if (typeof value === 'string') kept[name] = value;
  }
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { ...kept, 'content-length': body.byteLength });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Requests per second of cached Converse hits through the gateway, against a bare node:http server that
 * returns the same bytes, in the same run, loaded by autocannon (in its own process) on loopback.
 */
export const gatewaySuite: Suite = {
  id: 'gateway',
  title: 'Gateway: cached Converse hits per second vs a bare node:http server',
  async run(context) {
    isolateAwsSdk();
    const gateway = await startBenchGateway();
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
      const bare = await startBareServer(hit.status, Object.fromEntries(hit.headers.entries()), hitBytes);
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
              `alternating order${context.quick ? '' : ' after a 1 s warm-up each'}; median round. Both servers ` +
              `run in the benchmark's process, autocannon in its own. Request: the ~2 KB Converse request of the ` +
              `hit path, as POST ${path}.`,
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
        await bare.close();
      }
    } finally {
      await gateway.close();
    }
  },
};
