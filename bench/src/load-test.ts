import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIRECTORY } from './versions.js';

export interface LoadTestOptions {
  url: string;
  /**
   * `http1` (default): autocannon over HTTP/1.1 keep-alive connections. `h2c`: bench/src/h2-load.ts over cleartext
   * HTTP/2 sessions with prior knowledge, `connections` streams in flight spread over `sessions` sessions.
   */
  protocol?: 'http1' | 'h2c';
  /** Connections kept open (`-c`); with h2c, streams in flight. */
  connections: number;
  /** h2c only: HTTP/2 sessions (TCP connections) the streams share. Default 1. */
  sessions?: number;
  /** Seconds (`-d`). */
  durationSeconds: number;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Stop after this many requests (`-a`; HTTP/1.1 only). */
  amount?: number;
}

export interface LoadTestResult {
  /** Mean requests per second over the run. */
  requestsPerSecond: number;
  /** Requests completed (answered or failed). */
  requests: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** Non-2xx responses, errors and timeouts. */
  failed: number;
  /** Median latency in ms. */
  latencyP50Ms: number;
}

/**
 * Runs a load generator in a child process (so that it never shares an event loop with the server it loads) and
 * reads its JSON report: autocannon for HTTP/1.1, bench/src/h2-load.ts for h2c. Traffic goes to `url`, which must
 * be on loopback.
 */
export function loadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const { hostname } = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname))
    throw new Error(`[bench] load tests target loopback only; got ${options.url}`);
  return options.protocol === 'h2c' ? h2Load(options) : autocannon(options);
}

function autocannon(options: LoadTestOptions): Promise<LoadTestResult> {
  const cli = join(BENCH_DIRECTORY, 'node_modules', 'autocannon', 'autocannon.js');
  const args = [
    cli,
    ...['-c', String(options.connections), '-d', String(options.durationSeconds), '-m', options.method],
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}=${value}`]),
    ...(options.body === undefined ? [] : ['-b', options.body]),
    ...(options.amount === undefined ? [] : ['-a', String(options.amount)]),
    '--json',
    options.url,
  ];
  return runReport('autocannon', args, options.durationSeconds, (report) => {
    const numbers = report as {
      requests: { average: number; total: number };
      latency: { p50: number };
      '2xx': number;
      non2xx: number;
      errors: number;
      timeouts: number;
    };
    return {
      requestsPerSecond: numbers.requests.average,
      requests: numbers.requests.total,
      ok: numbers['2xx'],
      failed: numbers.non2xx + numbers.errors + numbers.timeouts,
      latencyP50Ms: numbers.latency.p50,
    };
  });
}

function h2Load(options: LoadTestOptions): Promise<LoadTestResult> {
  const sessions = options.sessions ?? 1;
  const settings = {
    url: options.url,
    sessions,
    streams: Math.max(1, Math.round(options.connections / sessions)),
    durationSeconds: options.durationSeconds,
    method: options.method,
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
  };
  const args = ['--import', 'tsx', join(BENCH_DIRECTORY, 'src', 'h2-load.ts'), JSON.stringify(settings)];
  return runReport('h2-load', args, options.durationSeconds, (report) => report as LoadTestResult);
}

/** Runs `node <args>` in the bench directory and parses the JSON it prints. */
function runReport(
  name: string,
  args: string[],
  durationSeconds: number,
  read: (report: unknown) => LoadTestResult,
): Promise<LoadTestResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: BENCH_DIRECTORY, timeout: (durationSeconds + 30) * 1000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`[bench] ${name} failed: ${String(stderr).trim() || error.message}`));
          return;
        }
        try {
          resolve(read(JSON.parse(stdout)));
        } catch {
          reject(new Error(`[bench] unexpected ${name} output: ${stdout.slice(0, 500)}`));
        }
      },
    );
  });
}
