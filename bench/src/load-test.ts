import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIRECTORY } from './versions.js';

export interface LoadTestOptions {
  url: string;
  /** Connections kept open (`-c`). */
  connections: number;
  /** Seconds (`-d`). */
  durationSeconds: number;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Stop after this many requests (`-a`). */
  amount?: number;
}

export interface LoadTestResult {
  /** Mean requests per second over the run. */
  requestsPerSecond: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** Non-2xx responses, errors and timeouts. */
  failed: number;
  /** Median latency in ms. */
  latencyP50Ms: number;
}

/**
 * Runs autocannon in a child process (so that it never shares an event loop with the server it loads) and
 * reads its JSON report. Traffic goes to `url`, which must be on loopback.
 */
export function loadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const { hostname } = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname))
    throw new Error(`[bench] load tests target loopback only; got ${options.url}`);
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
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { timeout: (options.durationSeconds + 30) * 1000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`[bench] autocannon failed: ${String(stderr).trim() || error.message}`));
          return;
        }
        try {
          const report = JSON.parse(stdout) as {
            requests: { average: number };
            latency: { p50: number };
            '2xx': number;
            non2xx: number;
            errors: number;
            timeouts: number;
          };
          resolve({
            requestsPerSecond: report.requests.average,
            ok: report['2xx'],
            failed: report.non2xx + report.errors + report.timeouts,
            latencyP50Ms: report.latency.p50,
          });
        } catch {
          reject(new Error(`[bench] unexpected autocannon output: ${stdout.slice(0, 500)}`));
        }
      },
    );
  });
}
