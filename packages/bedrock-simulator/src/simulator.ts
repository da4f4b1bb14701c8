import { randomUUID } from 'node:crypto';
import { type Clock, realSleep, type Sleep, systemClock } from './clock.js';
import { converseResponse, converseStreamResponse, parseConverseRequest } from './converse.js';
import {
  type DualProtocolListener,
  type HttpRequest,
  type HttpResponse,
  type ListenOptions,
  listenHttp1And2,
  type RequestHandler,
} from './dual-protocol-server.js';
import { BedrockWireError, validationError } from './errors.js';
import {
  createFaultQueue,
  type Fault,
  type FaultKind,
  type FaultOptions,
  type PendingFault,
  validateFault,
} from './faults.js';
import {
  parseJson,
  readBody,
  SIMULATOR_HEADER,
  sendError,
  sendEventStream,
  sendJson,
  toWireError,
} from './http-io.js';
import { planInvokeModel } from './invoke.js';
import { type LatencyOptions, resolveLatency } from './latency.js';
import { createPromptCache } from './prompt-caching.js';
import type { ResponsePlan } from './response-plan.js';
import { type ModelContext, runModel } from './simulated-model.js';

/** The Bedrock Runtime operations the simulator answers, named like the SDK commands. */
export type ModelOperation = 'Converse' | 'ConverseStream' | 'InvokeModel' | 'InvokeModelWithResponseStream';

/** One model call the simulator received. */
export interface SimulatorCall {
  operation: ModelOperation;
  /** The model id, URL-decoded (base id, inference profile id or ARN). */
  modelId: string;
  /** When it arrived, from the injected clock (ms since the epoch). */
  at: number;
  /** The injected fault that applied to it, if any. */
  fault?: FaultKind;
}

/** Options of {@link createBedrockSimulator}. */
export interface BedrockSimulatorOptions {
  /**
   * How long answers take. `0` for no delay (tests); a number sets the time to first token in ms; an object
   * sets `firstTokenMs`, `perTokenMs` and `jitter`. Jitter is derived from the request, so it is deterministic.
   * Default: `{ firstTokenMs: 500, perTokenMs: 10, jitter: 0.2 }` (about 1 to 3 s per answer).
   */
  latency?: number | LatencyOptions;
  /** Where the time comes from (prompt-cache expiry, call timestamps). Default: the system clock. */
  clock?: Clock;
  /** How the simulator waits for simulated latency and `slow` faults. Default: `setTimeout`. */
  sleep?: Sleep;
  /** Bedrock prompt caching (`cachePoint` blocks). */
  promptCaching?: {
    /** How long a cached prefix lives after its last use, in ms. Default: `300_000` (5 minutes). */
    ttlMs?: number;
    /** The smallest prefix, in tokens, that a cache point caches. Default: `0` (Bedrock: 1,024 for many models). */
    minimumTokens?: number;
  };
  /** The largest request body accepted, in bytes. Default: `26_214_400` (25 MiB). */
  maxBodyBytes?: number;
}

/** Where {@link BedrockSimulator.listen} binds. */
export type SimulatorListenOptions = ListenOptions;

/** A running (or ready to run) Bedrock Runtime simulator. */
export interface BedrockSimulator {
  /** Starts serving HTTP/2 and HTTP/1.1 on one port. `port: 0` (the default) picks a free port. */
  listen(options?: SimulatorListenOptions): Promise<{ url: string; port: number }>;
  /** Stops the server and destroys open connections. Safe to call when not listening. */
  close(): Promise<void>;
  /** The request handler, for mounting on your own `http` or `http2` (compat API) server. */
  readonly handler: RequestHandler;
  /** The URL while listening, else `undefined`. */
  readonly url: string | undefined;
  /** Every model call received so far, in order (including faulted and invalid ones). */
  readonly calls: readonly SimulatorCall[];
  /** Forgets the recorded calls. */
  clearCalls(): void;
  /** Makes the next matching model call(s) fail or slow down. */
  injectFault(fault: Fault, options?: FaultOptions): void;
  /** Removes every pending fault. */
  clearFaults(): void;
  /** The faults still waiting to apply. */
  pendingFaults(): PendingFault[];
  /** Forgets every prefix in the simulated prompt cache. */
  clearPromptCache(): void;
}

const OPERATIONS: Record<string, { operation: ModelOperation; streaming: boolean }> = {
  converse: { operation: 'Converse', streaming: false },
  'converse-stream': { operation: 'ConverseStream', streaming: true },
  invoke: { operation: 'InvokeModel', streaming: false },
  'invoke-with-response-stream': { operation: 'InvokeModelWithResponseStream', streaming: true },
};

const MODEL_ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)\/?$/;

const ROUTE_HELP =
  'Model routes: POST /model/{modelId}/converse, /converse-stream, /invoke, /invoke-with-response-stream. ' +
  'Control routes: GET /_simulator/health, GET|DELETE /_simulator/calls, GET|POST|DELETE /_simulator/faults, ' +
  'DELETE /_simulator/prompt-cache.';

const DEFAULT_SLOW_MS = 5_000;

function faultMessage(fault: Fault, fallback: string): string {
  return fault.message ?? `${fallback} [bedrock-simulator: injected ${fault.kind} fault]`;
}

function serializeFaults(faults: PendingFault[]): unknown[] {
  return faults.map((fault) => ({
    ...fault,
    remaining: Number.isFinite(fault.remaining) ? fault.remaining : 'always',
  }));
}

/**
 * Creates a local server that speaks the Amazon Bedrock Runtime wire protocol (Converse, ConverseStream,
 * InvokeModel, InvokeModelWithResponseStream), with deterministic `[simulated] ` answers, prompt caching,
 * realistic latency and fault injection.
 *
 * @example
 * const simulator = createBedrockSimulator({ latency: 0 });
 * const { url } = await simulator.listen({ port: 0 });
 * const client = new BedrockRuntimeClient({ endpoint: url, region: 'us-east-1',
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 */
export function createBedrockSimulator(options: BedrockSimulatorOptions = {}): BedrockSimulator {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const maxBodyBytes = options.maxBodyBytes ?? 26_214_400;
  const modelContext: ModelContext = {
    latency: resolveLatency(options.latency),
    promptCache: createPromptCache({ clock, ...options.promptCaching }),
  };
  const faults = createFaultQueue();
  const calls: SimulatorCall[] = [];
  let listener: DualProtocolListener | undefined;

  const wait = async (milliseconds: number): Promise<void> => {
    if (milliseconds > 0) await sleep(milliseconds);
  };

  async function handleControl(request: HttpRequest, response: HttpResponse, path: string): Promise<void> {
    const method = request.method ?? 'GET';
    if (path === '/_simulator/health' && method === 'GET') {
      sendJson(response, 200, {
        simulator: '@prompt-cache/bedrock-simulator',
        simulated: true,
        calls: calls.length,
      });
      return;
    }
    if (path === '/_simulator/calls' && method === 'GET') {
      sendJson(response, 200, { count: calls.length, calls });
      return;
    }
    if (path === '/_simulator/calls' && method === 'DELETE') {
      sendJson(response, 200, { cleared: calls.splice(0).length });
      return;
    }
    if (path === '/_simulator/faults' && method === 'GET') {
      sendJson(response, 200, { faults: serializeFaults(faults.pending()) });
      return;
    }
    if (path === '/_simulator/faults' && method === 'POST') {
      const { fault, times } = validateFault(parseJson(await readBody(request, maxBodyBytes)));
      faults.add(fault, { times });
      sendJson(response, 201, { faults: serializeFaults(faults.pending()) });
      return;
    }
    if (path === '/_simulator/faults' && method === 'DELETE') {
      sendJson(response, 200, { cleared: faults.clear() });
      return;
    }
    if (path === '/_simulator/prompt-cache' && method === 'DELETE') {
      const cleared = modelContext.promptCache.size();
      modelContext.promptCache.clear();
      sendJson(response, 200, { cleared });
      return;
    }
    throw new BedrockWireError(
      'UnknownOperationException',
      `[bedrock-simulator] no route for ${method} ${path}. ${ROUTE_HELP}`,
    );
  }

  async function handleModelCall(
    request: HttpRequest,
    response: HttpResponse,
    encodedModelId: string,
    routeName: string,
  ): Promise<void> {
    const route = OPERATIONS[routeName] as { operation: ModelOperation; streaming: boolean };
    let modelId: string;
    try {
      modelId = decodeURIComponent(encodedModelId);
    } catch {
      throw validationError('The model identifier in the request path is not valid URL encoding.');
    }
    const body = await readBody(request, maxBodyBytes);
    const fault = faults.take({ streaming: route.streaming });
    calls.push({
      operation: route.operation,
      modelId,
      at: clock.now(),
      ...(fault ? { fault: fault.kind } : {}),
    });

    if (fault?.kind === 'slow') await wait(fault.delayMs ?? DEFAULT_SLOW_MS);
    if (fault?.kind === 'throttle') {
      throw new BedrockWireError(
        'ThrottlingException',
        faultMessage(fault, 'Too many requests, please wait before trying again.'),
      );
    }
    if (fault?.kind === 'server-error') {
      throw new BedrockWireError(
        'InternalServerException',
        faultMessage(fault, 'The server encountered an internal error.'),
      );
    }

    const json = parseJson(body);
    let plan: ResponsePlan;
    if (route.operation === 'Converse' || route.operation === 'ConverseStream') {
      const result = runModel(parseConverseRequest(modelId, json), modelContext);
      plan = route.streaming ? converseStreamResponse(result) : converseResponse(result);
    } else {
      const guardrail = request.headers['x-amzn-bedrock-guardrailidentifier'] !== undefined;
      plan = planInvokeModel(modelId, json, { ...modelContext, guardrail }, route.streaming);
    }

    if (plan.kind === 'json') {
      await wait(plan.delayMs);
      sendJson(response, 200, plan.body, plan.headers);
      return;
    }
    await sendEventStream(response, plan.frames, {
      sleep: wait,
      headers: plan.headers,
      ...(fault?.kind === 'stream-exception'
        ? {
            interruption: {
              afterEvents: fault.afterEvents ?? 2,
              exceptionType: fault.exceptionType ?? 'modelStreamErrorException',
              message: faultMessage(fault, 'The model stream was interrupted.'),
            },
          }
        : {}),
    });
  }

  const handler: RequestHandler = async (request, response) => {
    try {
      response.setHeader(SIMULATOR_HEADER, 'true');
      response.setHeader('x-amzn-requestid', randomUUID());
      const path = new URL(request.url ?? '/', 'http://simulator.invalid').pathname;
      if (path.startsWith('/_simulator/')) {
        await handleControl(request, response, path);
        return;
      }
      const match = MODEL_ROUTE.exec(path);
      if (!match || request.method !== 'POST') {
        throw new BedrockWireError(
          'UnknownOperationException',
          `[bedrock-simulator] no route for ${request.method ?? 'GET'} ${path}. ${ROUTE_HELP}`,
        );
      }
      await handleModelCall(request, response, match[1] as string, match[2] as string);
    } catch (error) {
      if (!response.headersSent) sendError(response, toWireError(error));
      else if (!response.writableEnded) response.destroy();
    }
  };

  return {
    async listen(listenOptions = {}) {
      if (listener) {
        throw new Error(`[bedrock-simulator] already listening on ${listener.url}; call close() first`);
      }
      listener = await listenHttp1And2(handler, {
        port: listenOptions.port ?? 0,
        host: listenOptions.host ?? '127.0.0.1',
      });
      return { url: listener.url, port: listener.port };
    },
    async close() {
      const current = listener;
      listener = undefined;
      await current?.close();
    },
    handler,
    get url() {
      return listener?.url;
    },
    get calls() {
      return calls;
    },
    clearCalls() {
      calls.length = 0;
    },
    injectFault(fault, faultOptions) {
      faults.add(fault, faultOptions);
    },
    clearFaults() {
      faults.clear();
    },
    pendingFaults() {
      return faults.pending();
    },
    clearPromptCache() {
      modelContext.promptCache.clear();
    },
  };
}
