import { createStoreFromOptions, describeListenError, describeStore } from '@prompt-cache/app-kit';
import {
  type DualProtocolListener,
  type HttpRequest,
  type HttpResponse,
  listenHttp1And2,
} from '@prompt-cache/bedrock-simulator';
import { type CacheStore, PromptCacheError } from '@prompt-cache/core';
import { discardLimitOf } from '@prompt-cache/http-kit';
import { Activity } from './activity.js';
import { bedrockRoutes } from './bedrock-routes.js';
import { type GatewayConfig, type GatewayConfigOptions, resolveGatewayConfig } from './config.js';
import { type GatewayServices, RequestContext } from './context.js';
import { dashboardRoutes } from './dashboard.js';
import { accessDenied, sendWireError, toWireError } from './errors.js';
import { healthRoute } from './health.js';
import { HitLane } from './hit-lane.js';
import { BodyTooLargeError, readBody, splitUrl } from './http-io.js';
import { logInternalError } from './internal-errors.js';
import { jsonApiRoutes } from './json-api.js';
import { createGatewayMetrics } from './metrics.js';
import { metricsRoute } from './metrics-route.js';
import { NamespaceCaches } from './namespace-caches.js';
import { answered, flushReplies } from './replies.js';
import { RequestKeys } from './request-keys.js';
import { Router } from './router.js';
import { eventsRoute } from './sse.js';
import { createStatsView } from './stats-view.js';
import { StoreHealth } from './store-health.js';
import { type Caller, createAuthenticator } from './tenants.js';
import { connectUpstream, type Upstream } from './upstream.js';
import { WireAnswers } from './wire-answers.js';

/** Options of {@link startGateway}: the configuration (see {@link GatewayConfigOptions}) and injected parts. */
export interface GatewayOptions extends GatewayConfigOptions {
  /**
   * The store to cache in. The caller keeps it: the gateway does not close it. Default: the one `cacheType`
   * (and `cacheDir` / `redisUrl`) describe, which the gateway closes.
   */
  store?: CacheStore;
  /** Where the gateway writes what happens while it runs (unknown model prices, unexpected errors). Default: nowhere. */
  log?: (line: string) => void;
  /** Add Node's default process metrics to `/metrics`. Default `true`. */
  processMetrics?: boolean;
}

/** A running gateway. */
export interface Gateway {
  /** `http://host:port`: Bedrock's API under `/model/...`, the JSON API under `/v1/...`, the dashboard at `/`. */
  url: string;
  port: number;
  host: string;
  /** Who answers misses, and the in-process simulator's URL when it is the simulator. */
  upstream: { provider: 'bedrock' | 'simulator'; endpoint: string | undefined };
  /** The store, and where it lives. */
  store: CacheStore;
  storeLabel: string;
  /** True when no API keys are configured (then it listens on loopback only). */
  open: boolean;
  /** One-line notices for the operator: loopback-only mode, why `auto` chose the simulator. */
  notices: string[];
  /** Stops listening, ends open streams, closes the clients, the in-process simulator and the store (if it made it). */
  close(): Promise<void>;
}

/**
 * Starts the caching gateway: Bedrock Runtime's API (`/model/{modelId}/converse` and the rest) with a cache in
 * front, the JSON API, `/metrics`, `/healthz` and the dashboard, on one port for HTTP/2 cleartext and HTTP/1.1.
 * @example
 * const gateway = await startGateway({ port: 0, upstream: 'simulator', cacheType: 'memory' });
 * const client = new BedrockRuntimeClient({ endpoint: gateway.url, region: 'us-east-1', credentials });
 * await gateway.close();
 * @throws {InvalidOptionError} for a bad option (before anything listens); a listen error names the port.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const config = resolveGatewayConfig(options);
  const auth = createAuthenticator(config.keys, config.settings.namespace);
  const ownsStore = options.store === undefined;
  const store = options.store ?? createStoreFromOptions(config.settings);
  const log = options.log ?? (() => undefined);
  let upstream: Upstream;
  try {
    upstream = await connectUpstream({
      provider: config.upstream,
      region: config.settings.region,
      simulatorLatencyMs: config.settings.simulatorLatencyMs,
      ...(options.environment ? { environment: options.environment } : {}),
    });
  } catch (error) {
    if (ownsStore) await store.close?.().catch(() => undefined);
    throw error;
  }

  const storeHealth = new StoreHealth(store);
  await storeHealth.check();
  const activity = new Activity();
  const metrics = createGatewayMetrics({
    size: async () => store.size?.(),
    storeHealth: () => storeHealth.view(),
    ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
  });
  activity.on('request', (record) => metrics.observe(record));
  const unknownModels = new Set<string>();
  const caches = new NamespaceCaches({
    upstream,
    store,
    settings: config.settings,
    ...(config.settings.semantic ? { semantic: await sharedSemantic(config.semantic) } : {}),
    onCacheError: (event) => storeHealth.record(event),
    onUnknownModel: (model) => {
      if (unknownModels.size < 100 && !unknownModels.has(model)) {
        unknownModels.add(model);
        log(`[server] no price for model ${model}; its calls are counted with a cost of null`);
      }
    },
  });
  const services: GatewayServices = {
    config,
    store,
    caches,
    activity,
    metrics,
    auth,
    upstream,
    requestKeys: new RequestKeys(),
    wireAnswers: new WireAnswers(),
    storeLabel: labelOf(store),
    storeHealth,
    log,
  };
  const shutdown = new AbortController();
  const statsOf = createStatsView(services);
  const router = new Router<RequestContext>();
  for (const route of [
    ...dashboardRoutes(),
    healthRoute(),
    metricsRoute(metrics),
    eventsRoute({ statsOf, shutdown: shutdown.signal }),
    ...jsonApiRoutes({ statsOf }),
    ...bedrockRoutes(),
  ])
    router.add(route);

  const inFlight = new RequestsInFlight();
  const handler = createHandler(router, services, inFlight, log);
  let listener: DualProtocolListener;
  try {
    listener = await listenHttp1And2(handler, {
      port: config.port,
      host: config.host,
      limits: config.socketLimits,
    });
  } catch (error) {
    await caches.close().catch(() => undefined);
    await upstream.close().catch(() => undefined);
    if (ownsStore) await store.close?.().catch(() => undefined);
    throw new PromptCacheError(
      'UPSTREAM_FAILED',
      `[server] ${describeListenError(error, config.host, config.port)}`,
      {
        cause: error,
      },
    );
  }

  const notices = noticesOf(config, auth.enabled, upstream);
  const storeState = storeHealth.snapshot();
  if (storeState.state === 'unreachable') {
    notices.push(
      `store: ${services.storeLabel} is unreachable (${storeState.message}); every call goes to the model uncached until it answers (see /v1/stats)`,
    );
  }
  let closing: Promise<void> | undefined;
  return {
    url: listener.url,
    port: listener.port,
    host: listener.host,
    upstream: { provider: upstream.provider, endpoint: upstream.endpoint },
    store,
    storeLabel: services.storeLabel,
    open: !auth.enabled,
    notices,
    close() {
      closing ??= (async () => {
        // Event streams end first; requests in flight get a moment to finish before sockets are destroyed.
        shutdown.abort();
        await Promise.race([inFlight.idle(), delay(CLOSE_GRACE_MS)]);
        flushReplies();
        await listener.close();
        await caches.close().catch(() => undefined);
        await upstream.close().catch(() => undefined);
        if (ownsStore) await store.close?.().catch(() => undefined);
      })();
      return closing;
    },
  };
}

/**
 * Semantic settings every namespace shares: one embedder (the default one loads a model of about 200 MiB), while
 * each namespace keeps an index of its own.
 */
async function sharedSemantic(
  options: GatewayConfig['semantic'],
): Promise<NonNullable<GatewayConfig['semantic']>> {
  if (options?.embedder) return options;
  const { createUseLiteEmbedder } = await import('@prompt-cache/semantic');
  return { ...options, embedder: createUseLiteEmbedder() };
}

/** How long `close()` waits for requests in flight before it destroys the connections. */
const CLOSE_GRACE_MS = 2000;

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}

/**
 * The request handler shared by HTTP/1.1 and HTTP/2: the hit lane first, then route, authenticate, handle, and
 * answer errors Bedrock's way.
 */
function createHandler(
  router: Router<RequestContext>,
  services: GatewayServices,
  inFlight: RequestsInFlight,
  log: (line: string) => void,
): (request: HttpRequest, response: HttpResponse) => Promise<void> {
  const lane = new HitLane(services);
  return async (request, response) => {
    const startedAt = performance.now();
    inFlight.started();
    const method = request.method ?? 'GET';
    let routeName = 'unknown';
    let namespace: string | undefined;
    let context: RequestContext | undefined;
    try {
      let body: Buffer | undefined;
      const call = lane.match(request);
      if (call) {
        routeName = 'converse';
        namespace = call.namespace;
        body = await readBody(request, services.config.maxBodyBytes);
        if (await lane.answer(call, body, response, startedAt)) return;
      }
      const { path, search } = splitUrl(request.url);
      const { route, params } = router.match(method, path);
      routeName = route.name;
      let caller: Caller | undefined;
      if (route.access === 'public') {
        caller = services.auth.tryIdentify(request);
      } else {
        caller = services.auth.identify(request);
        if (route.access === 'admin' && !caller.admin) {
          throw accessDenied(
            403,
            `[server] ${path} needs the admin key; tenant ${caller.tenant} may not read it`,
          );
        }
      }
      namespace = caller?.namespace;
      context = new RequestContext(request, response, path, search, caller, startedAt, services, body);
      await route.handle(context, params);
    } catch (error) {
      const wire = toWireError(error);
      if (!answered(response)) {
        if (needsClose(request, error, services.config.maxBodyBytes))
          response.setHeader('connection', 'close');
        sendWireError(response, wire, context?.headers);
      } else if (response.headersSent && !response.writableEnded) {
        response.destroy(); // a stream cut short: the client must see it fail
      }
      if (!wire.upstream) services.activity.recordRejected(namespace, wire.type);
      logInternalError(log, `${method} ${splitUrl(request.url).path}`, wire, error);
    } finally {
      services.metrics.observeHttp(routeName, response.statusCode);
      inFlight.finished();
    }
  };
}

/** Counts the requests being handled, so that `close()` can wait for them. */
class RequestsInFlight {
  private count = 0;
  private waiting: (() => void)[] = [];

  started(): void {
    this.count++;
  }

  finished(): void {
    this.count--;
    if (this.count === 0) for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Resolves when no request is being handled. */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
}

/**
 * True when an HTTP/1.1 connection must close after an error answer: the request body was left unread and is
 * too large to discard. (HTTP/2 streams are reset on their own; a `connection` header is not allowed there.)
 */
function needsClose(request: HttpRequest, error: unknown, maxBodyBytes: number): boolean {
  if (request.httpVersionMajor !== 1) return false;
  if (error instanceof BodyTooLargeError) return error.closeConnection;
  if ((request as { complete?: boolean }).complete) return false;
  const declared = Number(request.headers['content-length']);
  return !Number.isFinite(declared) || declared > discardLimitOf(maxBodyBytes);
}

function labelOf(store: CacheStore): string {
  const description = describeStore(store);
  if (description.cacheType === 'memory') return 'memory cache (this process only)';
  if (description.cacheType === 'redis') return `redis cache at ${description.location}`;
  return `file cache in ${description.location}`;
}

function noticesOf(config: GatewayConfig, keyed: boolean, upstream: Upstream): string[] {
  const notices: string[] = [];
  if (!keyed) {
    notices.push(
      `no API keys configured: listening on loopback only (${config.host}); every caller shares namespace ${config.settings.namespace}. Set PROMPT_CACHE_API_KEYS and PROMPT_CACHE_ADMIN_KEY to serve tenants.`,
    );
  }
  if (upstream.notice) notices.push(upstream.notice);
  if (config.settings.semantic) {
    notices.push(
      'semantic matching: on (a paraphrase of a cached prompt is answered as x-prompt-cache: semantic-hit, never across namespaces)',
    );
  }
  if (upstream.provider === 'simulator') {
    notices.push(`upstream: the local Bedrock simulator at ${upstream.endpoint} (answers are simulated)`);
  } else {
    notices.push(`upstream: Amazon Bedrock in ${upstream.region}, with this machine's AWS credentials`);
  }
  return notices;
}
