import { join } from 'node:path';
import { converseRequest } from '../fixtures.js';
import { startGatewayProcess } from '../gateway-process.js';
import { loadTest } from '../load-test.js';
import { median } from '../measure.js';
import { cpuSecondsOf } from '../process-cpu.js';
import { type ServerProcess, startServerProcess } from '../server-process.js';
import { type Goal, type Suite, verdictOf } from '../suite.js';
import { BENCH_DIRECTORY } from '../versions.js';

/**
 * A bare node:http server (or, with `h2c`, a bare node:http2 cleartext server), in a process of its own, that
 * answers every request with these status, headers and bytes; given `expected`, only once it has compared the
 * request's body with those bytes.
 */
function startBareServer(
  protocol: Protocol,
  status: number,
  headers: Headers,
  body: Buffer,
  expected?: Buffer,
): Promise<ServerProcess> {
  const kept: Record<string, string> = {};
  for (const [name, value] of headers.entries()) {
    if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name))
      kept[name] = value;
  }
  return startServerProcess(
    `bare ${protocol === 'h2c' ? 'node:http2' : 'node:http'} server`,
    [
      ...['--import', 'tsx', join(BENCH_DIRECTORY, 'src', 'bare-server.ts')],
      ...[String(status), JSON.stringify(kept), body.toString('base64'), protocol],
      ...(expected ? [expected.toString('base64')] : []),
    ],
    { cwd: BENCH_DIRECTORY },
  );
}

type Protocol = 'http1' | 'h2c';

/**
 * What is loaded: the bare server; the bare server that also reads the body and compares it with the request's
 * bytes (the least a cache does before it answers; HTTP/1.1 only, where the goal is tightest); the gateway.
 */
type Kind = 'bare' | 'checked' | 'gateway';

/** h2c sessions the streams in flight share; a client such as the AWS SDK holds one session per endpoint. */
const H2_SESSIONS = 1;

/** The share of its bare server the gateway must reach, on each protocol (issue 18). */
const GOAL_SHARE = 0.8;

/** How each protocol is loaded and named in the table. */
const PROTOCOLS: Record<Protocol, { labels: Partial<Record<Kind, string>>; floor: string }> = {
  http1: {
    labels: {
      bare: 'bare node:http server, same bytes (HTTP/1.1 keep-alive)',
      checked: 'bare node:http server that also reads the body and compares it with the request (HTTP/1.1)',
      gateway: 'gateway (apps/server), cached Converse hit (HTTP/1.1 keep-alive)',
    },
    floor: 'a bare node:http server',
  },
  h2c: {
    labels: {
      bare: 'bare node:http2 server, same bytes (h2c)',
      gateway: 'gateway (apps/server), cached Converse hit (h2c)',
    },
    floor: 'a bare node:http2 server (h2c)',
  },
};

/** What each row's note says when every response was 2xx. */
const NOTES: Record<Kind, string> = {
  bare: 'floor',
  checked: 'the least a cache does before it answers',
  gateway: 'every response 2xx',
};

/** Short names in the chart. */
const CHART_LABELS: Record<Kind, string> = {
  bare: 'bare',
  checked: 'bare + body check',
  gateway: 'gateway',
};

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
      const bare = {
        http1: await startBareServer('http1', hit.status, hit.headers, hitBytes),
        checked: await startBareServer('http1', hit.status, hit.headers, hitBytes, Buffer.from(payload)),
        h2c: await startBareServer('h2c', hit.status, hit.headers, hitBytes),
      };
      try {
        // Short rounds, many of them: on a shared machine the speed of both processes drifts over seconds, so
        // each round measures the bare server and the gateway back to back and the share is the median of
        // those paired ratios, not a ratio of medians taken at different moments.
        const durationSeconds = context.quick ? 1 : 2;
        const rounds = context.quick ? 1 : 8;
        const connections = 50;
        const sessions = H2_SESSIONS;
        const rates = new Map<string, number[]>();
        const failures = new Map<string, number>();
        // The server's CPU seconds and the requests it answered, over every measured round.
        const cpu = new Map<string, { seconds: number; requests: number }>();
        const serverOf = (protocol: Protocol, kind: Kind): ServerProcess =>
          kind === 'gateway' ? gateway : kind === 'checked' ? bare.checked : bare[protocol];
        const targets = (['http1', 'h2c'] as const).flatMap((protocol) =>
          (Object.keys(PROTOCOLS[protocol].labels) as Kind[]).map((kind) => ({
            name: `${kind} ${protocol}`,
            kind,
            protocol,
            url: `${serverOf(protocol, kind).url}${path}`,
            pid: serverOf(protocol, kind).pid,
          })),
        );
        for (const target of targets) {
          rates.set(target.name, []);
          failures.set(target.name, 0);
          cpu.set(target.name, { seconds: 0, requests: 0 });
        }
        // A short warm-up of each (quick runs too, smoke tests not: a cold gateway runs its first second
        // unoptimized, at a fraction of its speed), then rounds in alternating order.
        for (const target of context.tiny ? [] : targets) {
          await loadTest({
            url: target.url,
            protocol: target.protocol,
            connections,
            sessions,
            durationSeconds: 1,
            method: 'POST',
            headers,
            body: payload,
          });
        }
        /** Each target's rate over its bare server's in the same round. */
        const pairedShares = new Map<string, number[]>(targets.map((target) => [target.name, []]));
        for (let round = 0; round < rounds; round++) {
          const rateThisRound = new Map<string, number>();
          for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
            const cpuBefore = cpuSecondsOf(target.pid);
            const result = await loadTest({
              url: target.url,
              protocol: target.protocol,
              connections,
              sessions,
              durationSeconds,
              method: 'POST',
              headers,
              body: payload,
            });
            const cpuAfter = cpuSecondsOf(target.pid);
            rates.get(target.name)!.push(result.requestsPerSecond);
            rateThisRound.set(target.name, result.requestsPerSecond);
            failures.set(target.name, failures.get(target.name)! + result.failed);
            const spent = cpu.get(target.name)!;
            spent.seconds += (cpuAfter ?? Number.NaN) - (cpuBefore ?? Number.NaN);
            spent.requests += result.requests;
          }
          for (const target of targets) {
            pairedShares
              .get(target.name)!
              .push(rateThisRound.get(target.name)! / rateThisRound.get(`bare ${target.protocol}`)!);
          }
        }
        const rateOf = (name: string) => median(rates.get(name)!);
        /** Server CPU per request in ns (NaN without /proc). */
        const cpuOf = (name: string) => (cpu.get(name)!.seconds / cpu.get(name)!.requests) * 1e9;
        const shareOf = (name: string) => median(pairedShares.get(name)!);
        const rows = targets.map((target) => {
          const failed = failures.get(target.name)!;
          return {
            label: PROTOCOLS[target.protocol].labels[target.kind]!,
            opsPerSecond: rateOf(target.name),
            ratio: target.kind === 'bare' ? 1 : shareOf(target.name),
            cells: { cpu: cpuOf(target.name) },
            note: failed ? `${failed} failed responses` : NOTES[target.kind],
          };
        });
        const goals: Goal[] = (['http1', 'h2c'] as const).map((protocol) => {
          const share = shareOf(`gateway ${protocol}`);
          const [bareCpu, gatewayCpu] = [`bare ${protocol}`, `gateway ${protocol}`].map(cpuOf);
          const checked = pairedShares.has(`checked ${protocol}`)
            ? `; a bare server that only reads and compares the body: ${(shareOf(`checked ${protocol}`) * 100).toFixed(0)}%`
            : '';
          return {
            goal: `gateway >= ${GOAL_SHARE * 100}% of ${PROTOCOLS[protocol].floor}`,
            met: share >= GOAL_SHARE,
            detail:
              `${(share * 100).toFixed(0)}%` +
              (rounds > 1
                ? ` (median of ${rounds} paired rounds, ${spreadOf(pairedShares.get(`gateway ${protocol}`)!)})`
                : '') +
              (Number.isFinite(gatewayCpu)
                ? `; server CPU per request ${(gatewayCpu! / 1000).toFixed(1)} µs vs ${(bareCpu! / 1000).toFixed(1)} µs`
                : '') +
              checked,
          };
        });
        return {
          id: this.id,
          title: this.title,
          reference: 'a bare node:http server returning the same bytes',
          columns: [
            { id: 'opsPerSecond', title: 'requests per second', format: 'rate' },
            { id: 'ratio', title: 'of the bare server', format: 'percent' },
            { id: 'cpu', title: 'server CPU per request', format: 'ns' },
            { id: 'note', title: 'note', format: 'text' },
          ],
          rows,
          goals,
          verdicts: goals.map(verdictOf),
          notes: [
            `HTTP/1.1: autocannon, ${connections} keep-alive connections. h2c: bench/src/h2-load.ts (autocannon ` +
              `speaks HTTP/1.1 only), ${connections} streams in flight over ${sessions} cleartext HTTP/2 ` +
              `session(s) with prior knowledge, each stream reading its whole answer before it sends the next ` +
              `request. ${durationSeconds} s per server per round, ${rounds} round(s) after a 1 s warm-up each; ` +
              'in each round every server is loaded in turn (in alternating order from round to round), and ' +
              '"of the bare server" is the median over the rounds of the gateway\'s rate divided by the bare ' +
              "server's rate in the same round; requests per second are each server's median round. Each server " +
              'runs in a process of ' +
              `its own (the gateway as the built \`prompt-cache serve\`, which serves both protocols on one port), ` +
              `and so does each load generator. Request: the ~2 KB Converse request of the hit path, as POST ${path}.`,
            'The bare server that also reads the body keeps its chunks and compares them with the bytes of the ' +
              'request (404 when they differ) before it sends the same answer: no hashing, no lookup, no ' +
              'statistics. It measures what reading and checking a 2 KB body costs over HTTP/1.1, which a cache ' +
              'cannot skip; the gateway must do everything else (find the key, count the hit, keep the dashboard ' +
              'record and the metrics, check the caller) within what remains.',
            'The bare node:http2 server is written like the bare node:http one, with the request/response API ' +
              "(http2.createServer's request handler) that the gateway serves HTTP/2 through.",
            'The bare server writes each answer as soon as it has read the request. The gateway writes the first ' +
              "answer finished in a turn of the event loop at once and the rest of that turn's answers together " +
              'at its end (apps/server/src/replies.ts), so that autocannon, which reads all 50 connections in one ' +
              'process, is woken once per turn rather than once per answer.',
            '"Server CPU per request" is the user + system CPU time the server process used during the measured ' +
              'rounds (from /proc), divided by the requests it answered: what a hit costs the server whatever else ' +
              'the machine is doing, kernel time for the socket writes included. On a machine with few cores the ' +
              'load generator and the server share them, so the ratio of requests per second follows the CPU both ' +
              'spend per request rather than the server alone.',
          ],
          chart: {
            title: 'Cached hits per second over HTTP (higher is better)',
            unit: 'rate',
            bars: targets.map((target, index) => ({
              label: `${CHART_LABELS[target.kind]} (${target.protocol === 'h2c' ? 'h2c' : 'HTTP/1.1'})`,
              value: rows[index]!.opsPerSecond,
              highlight: target.kind === 'gateway',
            })),
          },
        };
      } finally {
        await Promise.all([bare.http1.stop(), bare.checked.stop(), bare.h2c.stop()]);
      }
    } finally {
      await gateway.stop();
    }
  },
};

/** The lowest and highest of the paired shares, e.g. `rounds 74-96%`. */
function spreadOf(shares: number[]): string {
  const percent = (value: number) => (value * 100).toFixed(0);
  return `rounds ${percent(Math.min(...shares))}-${percent(Math.max(...shares))}%`;
}
