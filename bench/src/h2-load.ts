import http2, { type ClientHttp2Session } from 'node:http2';

/*
 * The h2c load generator of the gateway suite, in a process of its own (autocannon speaks HTTP/1.1 only): a closed
 * loop of `sessions` × `streams` requests in flight over cleartext HTTP/2 with prior knowledge, each stream sending
 * the same request and reading its whole answer before the next starts, for `durationSeconds`.
 * Usage: h2-load.ts <options as JSON>. Prints its report as one line of JSON.
 */

interface Options {
  url: string;
  sessions: number;
  streams: number;
  durationSeconds: number;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const url = new URL(options.url);
const body = options.body === undefined ? undefined : Buffer.from(options.body);
const requestHeaders = {
  ...options.headers,
  ':method': options.method,
  ':path': `${url.pathname}${url.search}`,
  ...(body ? { 'content-length': String(body.length) } : {}),
};

let ok = 0;
let failed = 0;
const latencies: number[] = [];

/** One request on `session`; resolves when its answer has been read to the end (or failed). */
function exchange(session: ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    const started = performance.now();
    const stream = session.request(requestHeaders, { endStream: body === undefined });
    let status = 0;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', () => undefined);
    stream.on('close', () => {
      if (status >= 200 && status < 300 && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) ok++;
      else failed++;
      latencies.push(performance.now() - started);
      resolve();
    });
    stream.on('error', () => undefined);
    if (body) stream.end(body);
  });
}

function connect(): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url.origin);
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

const sessions = await Promise.all(Array.from({ length: options.sessions }, connect));
const started = performance.now();
const deadline = started + options.durationSeconds * 1000;
await Promise.all(
  sessions.flatMap((session) =>
    Array.from({ length: options.streams }, async () => {
      while (performance.now() < deadline) await exchange(session);
    }),
  ),
);
const seconds = (performance.now() - started) / 1000;
for (const session of sessions) session.close();
latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    requestsPerSecond: (ok + failed) / seconds,
    requests: ok + failed,
    ok,
    failed,
    latencyP50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
  }),
);
