import http from 'node:http';
import http2 from 'node:http2';

/** A whole answer as a caller received it. */
export interface Answer {
  status: number;
  /** The `x-prompt-cache` header: `hit`, `miss`, `bypass`, or `null` when absent. */
  cache: string | null;
  body: Buffer;
  /** From sending the request to the last byte, in ms. */
  ms: number;
}

export type Protocol = 'HTTP/1.1' | 'HTTP/2';

/** POSTs JSON to the gateway over one protocol, as an SDK (HTTP/2) or curl and fetch (HTTP/1.1) would. */
export interface GatewayClient {
  readonly protocol: Protocol;
  /** Resolves with the whole answer; rejects on a network error, or when it has not ended within the timeout. */
  post(path: string, body: string): Promise<Answer>;
  /**
   * Waits for the first bytes of the answer's body, calls `onFirstBytes`, and hangs up `delayMs` later: over
   * HTTP/1.1 it closes the connection, over HTTP/2 it resets the stream (RST_STREAM, CANCEL). Resolves with the
   * status once it has hung up.
   */
  postAndHangUp(path: string, body: string, onFirstBytes: () => void, delayMs: number): Promise<number>;
  close(): void;
}

/** Longest wait for one answer: a request past it counts as failed. */
const ANSWER_TIMEOUT_MS = 30_000;

const JSON_HEADERS = { 'content-type': 'application/json' };

export function http1Client(baseUrl: string): GatewayClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const send = (path: string, body: string, fresh: boolean) =>
    http.request(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) },
      // A hang-up closes its own connection, never a pooled one.
      agent: fresh ? false : agent,
      timeout: ANSWER_TIMEOUT_MS,
    });
  return {
    protocol: 'HTTP/1.1',
    post(path, body) {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const request = send(path, body, false);
        request.on('timeout', () => request.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
        request.on('error', reject);
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('aborted', () => reject(new Error('the gateway closed the connection mid-answer')));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              cache: headerValue(response.headers['x-prompt-cache']),
              body: Buffer.concat(chunks),
              ms: performance.now() - started,
            }),
          );
        });
        request.end(body);
      });
    },
    postAndHangUp(path, body, onFirstBytes, delayMs) {
      return new Promise((resolve, reject) => {
        const request = send(path, body, true);
        let hungUp = false;
        // Once we hung up, the errors of our own hang-up are expected.
        request.on('error', (error) => hungUp || reject(error));
        request.on('response', (response) => {
          response.on('error', (error) => hungUp || reject(error));
          response.once('data', () => {
            onFirstBytes();
            setTimeout(() => {
              hungUp = true;
              request.destroy();
              resolve(response.statusCode ?? 0);
            }, delayMs);
          });
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

export function http2Client(baseUrl: string): GatewayClient {
  let session: http2.ClientHttp2Session | undefined;
  // One session for every stream, as the SDK keeps one; a new one when the gateway closed it.
  const open = (): http2.ClientHttp2Session => {
    if (!session || session.closed || session.destroyed) {
      session = http2.connect(baseUrl);
      session.on('error', () => undefined); // each stream reports its own failure
    }
    return session;
  };
  const send = (path: string, body: string) => {
    const stream = open().request({ ':method': 'POST', ':path': path, ...JSON_HEADERS });
    stream.end(body);
    return stream;
  };
  return {
    protocol: 'HTTP/2',
    post(path, body) {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const stream = send(path, body);
        let status = 0;
        let cache: string | null = null;
        const chunks: Buffer[] = [];
        stream.setTimeout(ANSWER_TIMEOUT_MS, () =>
          stream.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
        );
        stream.on('response', (headers) => {
          status = Number(headers[':status']);
          cache = headerValue(headers['x-prompt-cache']);
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          if (stream.rstCode && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) {
            reject(new Error(`the gateway reset the stream (code ${stream.rstCode})`));
          } else {
            resolve({ status, cache, body: Buffer.concat(chunks), ms: performance.now() - started });
          }
        });
      });
    },
    postAndHangUp(path, body, onFirstBytes, delayMs) {
      return new Promise((resolve, reject) => {
        const stream = send(path, body);
        let status = 0;
        stream.on('response', (headers) => {
          status = Number(headers[':status']);
        });
        let hungUp = false;
        stream.on('error', (error) => hungUp || reject(error));
        stream.once('data', () => {
          onFirstBytes();
          setTimeout(() => {
            hungUp = true;
            stream.close(http2.constants.NGHTTP2_CANCEL);
            resolve(status);
          }, delayMs);
        });
        stream.on('end', () => resolve(status));
        stream.resume();
      });
    },
    close: () => session?.close(),
  };
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
