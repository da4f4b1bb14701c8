import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { type BedrockOperation, type CacheInfo, cacheInfo, withCacheControl } from '@prompt-cache/bedrock';
import { EVENT_STREAM_CONTENT_TYPE } from '@prompt-cache/bedrock-simulator';
import { clientGone, writeChunk } from '@prompt-cache/http-kit';
import type { RequestRecord } from './activity.js';
import {
  converseInputFromWire,
  converseOutputToWire,
  errorToFrame,
  eventToFrame,
  invokeInputFromWire,
  invokeOutputHeaders,
} from './bedrock-wire.js';
import { cacheControlOf, setCacheHeaders } from './cache-headers.js';
import { callerOf, type GatewayServices, namespaceFor, type RequestContext } from './context.js';
import { sendWireError, toWireError } from './errors.js';
import { parseJsonObject, readBody, requireJsonContent } from './http-io.js';
import { logInternalError } from './internal-errors.js';
import { decodeModelId } from './model-ids.js';
import { sendJson, sendText } from './replies.js';
import { requestId } from './request-ids.js';
import { type BodyId, RequestKeys } from './request-keys.js';
import type { Route } from './router.js';

/** The four Bedrock Runtime operations, by the last segment of their path. */
const OPERATIONS: Record<string, { operation: BedrockOperation; streaming: boolean; name: string }> = {
  converse: { operation: 'Converse', streaming: false, name: 'converse' },
  'converse-stream': { operation: 'ConverseStream', streaming: true, name: 'converse-stream' },
  invoke: { operation: 'InvokeModel', streaming: false, name: 'invoke' },
  'invoke-with-response-stream': {
    operation: 'InvokeModelWithResponseStream',
    streaming: true,
    name: 'invoke-with-response-stream',
  },
};

/**
 * `POST /model/{modelId}/converse`, `/converse-stream`, `/invoke` and `/invoke-with-response-stream`, with Bedrock's
 * own request and response shapes. Each call goes through the namespace's cached SDK client, so a hit never
 * reaches the upstream and a stream is replayed frame by frame.
 */
export function bedrockRoutes(): Route<RequestContext>[] {
  return Object.entries(OPERATIONS).map(([segment, spec]) => ({
    method: 'POST',
    pattern: `/model/{modelId}/${segment}`,
    access: 'caller',
    name: spec.name,
    handle: (context: RequestContext, params: Record<string, string>) =>
      handleModelCall(context, params.modelId ?? '', spec.operation, spec.streaming),
  }));
}

async function handleModelCall(
  context: RequestContext,
  encodedModelId: string,
  operation: BedrockOperation,
  streaming: boolean,
): Promise<void> {
  const { request, response, services, headers } = context;
  const caller = callerOf(context);
  headers['x-amzn-requestid'] = requestId();
  // Until the cache has answered, a refused request is a bypass with no key.
  setCacheHeaders(headers, 'bypass', '');
  const modelId = decodeModelId(encodedModelId);
  const control = cacheControlOf(request);
  const namespace = namespaceFor(caller, control.namespace, 'x-prompt-cache-namespace');

  const call: ModelCall = { operation, namespace, modelId, startedAt: context.startedAt };
  const record = (status: RequestRecord['status'], key: string, info?: CacheInfo, errorType?: string) =>
    recordModelCall(services, call, status, key, info, errorType);

  let command:
    | ConverseCommand
    | ConverseStreamCommand
    | InvokeModelCommand
    | InvokeModelWithResponseStreamCommand;
  let bodyId: BodyId | undefined;
  if (operation === 'Converse' || operation === 'ConverseStream') {
    requireJsonContent(request);
    const body = context.body ?? (await readBody(request, services.config.maxBodyBytes));
    // A body the hit lane knew was answered there (hit-lane.ts); this one is new, or its entry is gone.
    if (operation === 'Converse' && control.mode === 'default')
      bodyId = RequestKeys.idOf(namespace, modelId, body);
    const input = converseInputFromWire(modelId, parseJsonObject(body));
    command = operation === 'Converse' ? new ConverseCommand(input) : new ConverseStreamCommand(input);
  } else {
    const input = invokeInputFromWire(
      modelId,
      context.body ?? (await readBody(request, services.config.maxBodyBytes)),
      request,
      streaming,
    );
    command =
      operation === 'InvokeModel'
        ? new InvokeModelCommand(input)
        : new InvokeModelWithResponseStreamCommand(input);
  }
  withCacheControl(command, {
    mode: control.mode,
    ...(control.ttlSeconds === undefined ? {} : { ttlSeconds: control.ttlSeconds }),
  });

  const session = await services.caches.get(namespace);
  const { controller } = session;
  const client = session.connection.client;

  let output: Record<string, unknown>;
  try {
    // No abort signal, not even for streams: it would close the one upstream transfer that identical calls in
    // flight share. A stream this caller leaves is handed back below, and the middleware stops the upstream once
    // nobody reads it any more. Without per-call options the SDK reuses its resolved middleware stack.
    output = (await client.send(command as never)) as unknown as Record<string, unknown>;
  } catch (error) {
    const wire = toWireError(error);
    logInternalError(services.log, `${operation} ${modelId}`, wire, error);
    let key = '';
    if (control.mode !== 'bypass') {
      try {
        key = controller.keyFor(command);
      } catch {
        key = '';
      }
    }
    setCacheHeaders(headers, control.mode === 'bypass' ? 'bypass' : 'miss', key);
    record('error', key, undefined, wire.type);
    sendWireError(response, wire, headers);
    return;
  }

  const info = cacheInfo(output);
  const status = info?.status ?? 'bypass';
  const key = info?.key ?? '';
  setCacheHeaders(headers, status, key, info && !info.pending ? info : undefined, info?.semantic);
  // A semantic hit stored nothing under this request's key: the fast path would only miss.
  if (bodyId && info?.stored && !info.semantic) services.requestKeys.remember(bodyId, key);

  if (!streaming) {
    if (operation === 'Converse') {
      sendJson(response, 200, converseOutputToWire(output), headers);
    } else {
      const body = output.body instanceof Uint8Array ? output.body : new Uint8Array();
      sendText(response, 200, body, { ...headers, ...invokeOutputHeaders(output, false) });
    }
    record(status, key, info);
    return;
  }

  const events = (operation === 'ConverseStream' ? output.stream : output.body) as
    | AsyncIterable<Record<string, unknown>>
    | undefined;
  response.writeHead(200, {
    ...headers,
    'content-type': EVENT_STREAM_CONTENT_TYPE,
    ...invokeOutputHeaders(output, true),
  });
  let failure: string | undefined;
  const reading = leaveOnAbort(events, context.signal);
  try {
    for await (const event of reading.events) {
      const frame = eventToFrame(event);
      if (frame && !(await writeChunk(response, frame))) break;
    }
  } catch (error) {
    const wire = toWireError(error);
    logInternalError(services.log, `${operation} ${modelId} (mid-stream)`, wire, error);
    failure = wire.type;
    await writeChunk(response, errorToFrame(error));
  } finally {
    reading.stopWatching();
  }
  if (!response.writableEnded && !clientGone(response)) response.end();
  const final = info?.pending ? await info.settled.catch(() => info) : info;
  if (context.signal.aborted && !failure) failure = 'ClientClosedRequest';
  record(failure ? 'error' : status, key, final, failure);
}

/**
 * The events of a stream, handed back (`return()`) as soon as the client goes away, even while waiting for
 * the next event: the middleware then cancels the upstream when no other caller reads it, and stores nothing.
 */
function leaveOnAbort(
  events: AsyncIterable<Record<string, unknown>> | undefined,
  signal: AbortSignal,
): { events: AsyncIterable<Record<string, unknown>>; stopWatching: () => void } {
  const iterator: AsyncIterator<Record<string, unknown>> = events
    ? events[Symbol.asyncIterator]()
    : { next: async () => ({ done: true, value: undefined }) };
  const leave = (): void => {
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  };
  if (signal.aborted) leave();
  else signal.addEventListener('abort', leave, { once: true });
  return {
    events: { [Symbol.asyncIterator]: () => iterator },
    stopWatching: () => signal.removeEventListener('abort', leave),
  };
}

/** Which model call a record is about, and when it arrived. */
export interface ModelCall {
  operation: BedrockOperation;
  namespace: string;
  modelId: string;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
}

/** Records a finished model call: the gateway's stats, its recent requests, the dashboard's feed and the metrics. */
export function recordModelCall(
  services: GatewayServices,
  call: ModelCall,
  status: RequestRecord['status'],
  key: string,
  info?: CacheInfo,
  errorType?: string,
): void {
  services.activity.record({
    operation: call.operation,
    namespace: call.namespace,
    model: call.modelId,
    status,
    key,
    latencyMs: performance.now() - call.startedAt,
    meta: info?.meta,
    saved: info?.saved,
    notStoredCode: info?.notStoredCode,
    errorType,
    semantic: info?.semantic,
  });
}
