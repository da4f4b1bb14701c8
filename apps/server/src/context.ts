import type { HttpRequest, HttpResponse } from '@prompt-cache/bedrock-simulator';
import { type CacheStore, isValidNamespace } from '@prompt-cache/core';
import { answeredInFull, clientGone } from '@prompt-cache/http-kit';
import type { Activity } from './activity.js';
import type { GatewayConfig } from './config.js';
import { accessDenied, validationError } from './errors.js';
import { parseQuery } from './http-io.js';
import type { GatewayMetrics } from './metrics.js';
import type { NamespaceCaches } from './namespace-caches.js';
import type { RequestKeys } from './request-keys.js';
import type { StoreHealth } from './store-health.js';
import type { Authenticator, Caller } from './tenants.js';
import type { Upstream } from './upstream.js';
import type { WireAnswers } from './wire-answers.js';

/** What every route handler can use: the parts of the running gateway. */
export interface GatewayServices {
  config: GatewayConfig;
  store: CacheStore;
  caches: NamespaceCaches;
  activity: Activity;
  metrics: GatewayMetrics;
  auth: Authenticator;
  upstream: Upstream;
  /** The cache key of each Converse body seen, so that the same bytes again skip parsing and key derivation. */
  requestKeys: RequestKeys;
  /** Response bodies of cached Converse answers, rendered once per entry. */
  wireAnswers: WireAnswers;
  /** `memory cache (this process only)`, `redis cache at redis://...`, for `/healthz` and the dashboard. */
  storeLabel: string;
  /** Whether the store answers, the failures the caches absorbed by kind, and its circuit breaker. */
  storeHealth: StoreHealth;
  /** Where the gateway writes what an operator must see (the `log` option). */
  log: (line: string) => void;
}

/**
 * One request on its way through a route. A class, not an object literal: a getter in a literal gives every
 * object a hidden class of its own, which turned each property read of every request into a slow lookup.
 */
export class RequestContext {
  private aborted: AbortController | undefined;
  private parsedQuery: URLSearchParams | undefined;
  /**
   * Headers every answer to this request carries, an error's too: a route sets them (Bedrock's request id, the
   * cache status) before anything can fail, and passes them when it answers.
   */
  readonly headers: Record<string, string> = {};

  constructor(
    readonly request: HttpRequest,
    readonly response: HttpResponse,
    readonly path: string,
    /** The query string, after `?` (`''` when none). */
    private readonly search: string,
    /** The caller; for public routes, the caller when the request carries a known key (else `undefined`). */
    readonly caller: Caller | undefined,
    /** `performance.now()` when the request arrived. */
    readonly startedAt: number,
    readonly services: GatewayServices,
    /** The request's body when it was read before routing (by the hit lane, which did not answer it). */
    readonly body?: Buffer,
  ) {}

  /** The query's parameters, parsed on first read (the model routes never read them). */
  get query(): URLSearchParams {
    this.parsedQuery ??= parseQuery(this.search);
    return this.parsedQuery;
  }

  /**
   * Aborted when the client goes away before the answer is complete. Made on first read (streams read it):
   * making one for every request would cost a hit several microseconds.
   */
  get signal(): AbortSignal {
    this.aborted ??= abortedOnClose(this.response);
    return this.aborted.signal;
  }
}

/** A controller aborted when the response's connection closes before the response was finished. */
function abortedOnClose(response: HttpResponse): AbortController {
  const controller = new AbortController();
  if (clientGone(response) && !answeredInFull(response)) controller.abort();
  else {
    response.on('close', () => {
      if (!answeredInFull(response)) controller.abort();
    });
  }
  return controller;
}

/**
 * The namespace a request works in: the caller's own, or one it asked for. Only the admin key (or anyone when
 * no keys are configured) may name another namespace.
 * @throws {GatewayError} 400 for a malformed namespace, 403 for a tenant naming another tenant's.
 */
export function namespaceFor(caller: Caller, requested: string | undefined, where: string): string {
  if (requested === undefined || requested === caller.namespace) return caller.namespace;
  if (!isValidNamespace(requested)) {
    throw validationError(
      `[server] ${where} must be 1-64 letters, digits, '.', '_' or '-'; got ${JSON.stringify(requested.slice(0, 80))}`,
    );
  }
  if (!caller.admin) {
    throw accessDenied(
      403,
      `[server] tenant ${caller.tenant} may only use its own namespace (${caller.namespace})`,
    );
  }
  return requested;
}

/** The caller of a route that needs one (set by the gateway before the handler runs). */
export function callerOf(context: RequestContext): Caller {
  if (!context.caller) throw accessDenied(401, '[server] this route needs an API key');
  return context.caller;
}
