import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type Gateway, type GatewayOptions, startGateway } from '../src/index.js';

/**
 * A gateway on a free loopback port, with the simulator upstream answering at once and a memory store.
 * Nothing is read from the environment unless a test passes it.
 */
export function startTestGateway(options: GatewayOptions = {}): Promise<Gateway> {
  return startGateway({
    port: 0,
    host: '127.0.0.1',
    upstream: 'simulator',
    cacheType: 'memory',
    simulatorLatencyMs: 0,
    processMetrics: false,
    environment: {},
    ...options,
  });
}

/** Response headers the SDK saw, newest last. */
export interface SeenHeaders {
  all: Array<Record<string, string>>;
  last(): Record<string, string>;
}

/**
 * The unmodified SDK client pointed at the gateway (HTTP/2, its default handler): static test credentials, no
 * retries. A deserialize-step middleware only records each response's headers, to read `x-prompt-cache`.
 */
export function createGatewayClient(
  url: string,
  options: { accessKeyId?: string } = {},
): { client: BedrockRuntimeClient; seen: SeenHeaders } {
  const client = new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const all: Array<Record<string, string>> = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
      all.push({ ...headers });
      return result;
    },
    { step: 'deserialize', name: 'recordHeaders' },
  );
  return { client, seen: { all, last: () => all[all.length - 1] ?? {} } };
}

/** Calls the in-process simulator's control API: how many calls reached the upstream. */
export async function upstreamCalls(gateway: Gateway): Promise<number> {
  const response = await fetch(`${gateway.upstream.endpoint}/_simulator/calls`);
  const body = (await response.json()) as { count: number };
  return body.count;
}

/** A Converse request body of one user prompt. */
export function converseBody(prompt: string): Record<string, unknown> {
  return { messages: [{ role: 'user', content: [{ text: prompt }] }] };
}

/**
 * A deterministic embedder for the gateway's semantic wiring (the model is not the point here): each character
 * trigram of the lower-cased text hashed into one of 128 dimensions.
 */
export function createTrigramEmbedder(): {
  id: string;
  dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
} {
  return {
    id: 'test-trigram-128',
    dimensions: 128,
    async embed(texts) {
      return texts.map((text) => {
        const vector = new Float32Array(128);
        const padded = ` ${text.toLowerCase()} `;
        for (let start = 0; start + 3 <= padded.length; start++) {
          let hash = 2166136261;
          for (const char of padded.slice(start, start + 3))
            hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
          vector[(hash >>> 0) % 128]! += 1;
        }
        return vector;
      });
    },
  };
}
