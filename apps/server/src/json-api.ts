import {
  type AskResult,
  converseInputFor,
  summarizeEntry,
  validateConverseInput,
} from '@prompt-cache/app-kit';
import type { CacheMode } from '@prompt-cache/core';
import { parseCacheMode, parseRequestTtl, setCacheHeaders } from './cache-headers.js';
import { callerOf, namespaceFor, type RequestContext } from './context.js';
import { accessDenied, sendWireError, toWireError, validationError } from './errors.js';
import { parseJsonObject, readBody, requireJsonContent } from './http-io.js';
import { logInternalError } from './internal-errors.js';
import { sendJson } from './replies.js';
import { requireModelId } from './request-bounds.js';
import type { Route } from './router.js';
import type { StatsReader } from './stats-view.js';

/** Default and largest page of `GET /v1/entries`. */
const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;
/** Most keys collected to page through one listing. */
const MAX_LISTED_KEYS = 100_000;

/** Options of {@link jsonApiRoutes}. */
export interface JsonApiOptions {
  statsOf: StatsReader;
}

/** Fields of a `POST /v1/ask` body. */
const ASK_FIELDS = new Set(['prompt', 'request', 'model', 'ttl', 'namespace', 'cacheMode']);
/** Longest model id accepted by `/v1/ask`. */
const MAX_MODEL_ID_LENGTH = 2048;

/**
 * `POST /v1/ask`, `GET /v1/stats`, `GET /v1/entries` and `DELETE /v1/cache`. A tenant sees only its own namespace; the admin
 * key (and everyone, when no keys are configured) sees every namespace or the one named by `?namespace=`.
 */
export function jsonApiRoutes(options: JsonApiOptions): Route<RequestContext>[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/ask',
      access: 'caller',
      name: 'ask',
      handle: askRoute,
    },
    {
      method: 'GET',
      pattern: '/v1/stats',
      access: 'caller',
      name: 'stats',
      async handle(context) {
        sendJson(context.response, 200, await options.statsOf(scopeOf(context)));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/entries',
      access: 'caller',
      name: 'entries',
      handle: listEntriesRoute,
    },
    {
      method: 'DELETE',
      pattern: '/v1/cache',
      access: 'caller',
      name: 'clear',
      async handle(context) {
        const caller = callerOf(context);
        if (!caller.admin) {
          throw accessDenied(
            403,
            `[server] clearing needs the admin key; tenant ${caller.tenant} may not clear`,
          );
        }
        const namespace = namespaceFor(caller, context.query.get('namespace') ?? undefined, 'namespace');
        const removed = await context.services.store.clear(`${namespace}:`);
        options.statsOf.sizesChanged();
        sendJson(context.response, 200, { namespace, removed });
      },
    },
  ];
}

/** The namespace of a read: a tenant's own; for the admin, `?namespace=` or every namespace. */
function scopeOf(context: RequestContext): string | undefined {
  const caller = callerOf(context);
  const requested = context.query.get('namespace') ?? undefined;
  if (!caller.admin) return namespaceFor(caller, requested, 'namespace');
  return requested === undefined || requested === '' || requested === '*'
    ? undefined
    : namespaceFor(caller, requested, 'namespace');
}

/** `GET /v1/entries?limit=&cursor=`: entries in key order, a page at a time; `nextCursor` is `null` at the end. */
async function listEntriesRoute(context: RequestContext): Promise<void> {
  const { store } = context.services;
  const namespace = scopeOf(context);
  const limitText = context.query.get('limit');
  const limit = limitText === null ? DEFAULT_PAGE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw validationError(
      `[server] limit must be a whole number from 1 to ${MAX_PAGE}; got ${JSON.stringify(limitText?.slice(0, 20))}`,
    );
  }
  const cursor = context.query.get('cursor') ?? '';
  if (!store.keys) {
    sendJson(context.response, 200, {
      scope: namespace ?? 'all',
      entries: [],
      nextCursor: null,
      listable: false,
    });
    return;
  }
  const prefix = namespace === undefined ? undefined : `${namespace}:`;
  const keys: string[] = [];
  for await (const key of store.keys(prefix)) {
    if (key > cursor) keys.push(key);
    if (keys.length >= MAX_LISTED_KEYS) break;
  }
  keys.sort();
  const now = Date.now();
  const entries = [];
  let index = 0;
  for (; index < keys.length && entries.length < limit; index++) {
    const key = keys[index]!;
    try {
      const entry = await store.get(key);
      if (!entry) continue;
      const summary = summarizeEntry(key, entry, now);
      entries.push({
        key,
        namespace: key.slice(0, key.indexOf(':')),
        model: summary.model ?? null,
        provider: summary.provider ?? null,
        createdAt: summary.createdAt,
        ageSeconds: Math.max(0, Math.floor((now - summary.createdAt) / 1000)),
        expiresAt: summary.expiresAt,
        ttlLeftSeconds: summary.ttlLeftSeconds,
        bytes: summary.bytes,
        costUsd: summary.costUsd ?? null,
        latencyMs: summary.latencyMs ?? null,
      });
    } catch {
      // unreadable: the store removed it
    }
  }
  const more = index < keys.length;
  sendJson(context.response, 200, {
    scope: namespace ?? 'all',
    entries,
    nextCursor: more && entries.length > 0 ? entries[entries.length - 1]!.key : null,
  });
}

/**
 * `POST /v1/ask` with `{ prompt | request, model?, ttl?, namespace?, cacheMode? }`: one Converse call through the
 * namespace's cache (app-kit's ask), answered with the fields of `prompt-cache ask --json`.
 */
async function askRoute(context: RequestContext): Promise<void> {
  const { request, response, services } = context;
  const caller = callerOf(context);
  setCacheHeaders(context.headers, 'bypass', '');
  requireJsonContent(request);
  const body = parseJsonObject(await readBody(request, services.config.maxBodyBytes));
  for (const field of Object.keys(body)) {
    if (!ASK_FIELDS.has(field)) {
      throw validationError(
        `[server] unknown field ${JSON.stringify(field.slice(0, 80))}; /v1/ask takes ${[...ASK_FIELDS].join(', ')}`,
      );
    }
  }
  if ((body.prompt === undefined) === (body.request === undefined)) {
    throw validationError(
      '[server] send exactly one of "prompt" (a string) or "request" (a Converse input object)',
    );
  }
  if (
    body.model !== undefined &&
    (typeof body.model !== 'string' || body.model.trim() === '' || body.model.length > MAX_MODEL_ID_LENGTH)
  ) {
    throw validationError('[server] "model" must be a model id, e.g. amazon.nova-lite-v1:0');
  }
  if (body.namespace !== undefined && typeof body.namespace !== 'string') {
    throw validationError('[server] "namespace" must be a string');
  }
  const model = (body.model as string | undefined) ?? services.config.settings.model;
  if (body.model !== undefined) requireModelId(model);
  if (body.prompt !== undefined && typeof body.prompt !== 'string') {
    throw validationError('[server] "prompt" must be a string');
  }
  // app-kit's checks throw InvalidOptionError, which answers as a 400 ValidationException.
  let input =
    typeof body.prompt === 'string'
      ? converseInputFor(body.prompt, { model })
      : validateConverseInput(body.request, model, '"request"');
  if (body.model !== undefined) input = { ...input, modelId: model };
  const mode: CacheMode =
    body.cacheMode === undefined ? 'default' : parseCacheMode(body.cacheMode, '"cacheMode"');
  const ttlSeconds = body.ttl === undefined ? undefined : parseRequestTtl(body.ttl, '"ttl"');
  const namespace = namespaceFor(caller, body.namespace as string | undefined, '"namespace"');
  const session = await services.caches.get(namespace);

  let result: AskResult;
  try {
    result = await session.ask(input, { mode, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) });
  } catch (error) {
    const wire = toWireError(error);
    logInternalError(services.log, 'POST /v1/ask', wire, error);
    let key = '';
    try {
      key = mode === 'bypass' ? '' : session.keyFor(input);
    } catch {
      key = '';
    }
    setCacheHeaders(context.headers, mode === 'bypass' ? 'bypass' : 'miss', key);
    services.activity.record({
      operation: 'Converse',
      namespace,
      model: input.modelId,
      status: 'error',
      key,
      latencyMs: performance.now() - context.startedAt,
      errorType: wire.type,
    });
    sendWireError(response, wire, context.headers);
    return;
  }
  const latencyMs = performance.now() - context.startedAt;
  const semantic =
    result.cache === 'semantic-hit'
      ? { similarity: result.similarity ?? 0, matchedPrompt: result.matchedPrompt ?? undefined }
      : undefined;
  setCacheHeaders(
    context.headers,
    result.status,
    result.status === 'bypass' ? '' : result.key,
    result,
    semantic && { similarity: semantic.similarity, matchedKey: result.matchedKey ?? '' },
  );
  services.activity.record({
    operation: 'Converse',
    namespace,
    model: result.model,
    status: result.status,
    key: result.status === 'bypass' ? '' : result.key,
    latencyMs,
    meta: {
      model: result.model,
      ...(result.usage ? { usage: result.usage } : {}),
      costUsd: result.cached ? result.savedUsd : result.costUsd,
      ...(result.originalLatencyMs === undefined ? {} : { latencyMs: result.originalLatencyMs }),
    },
    saved: {
      usd: result.savedUsd,
      tokens: result.cached && result.usage ? billed(result.usage) : 0,
      ms: result.savedMs,
    },
    notStoredCode: result.notStoredCode,
    semantic,
  });
  sendJson(response, 200, { ...result, namespace }, context.headers);
}

function billed(usage: NonNullable<AskResult['usage']>): number {
  return (
    usage.inputTokens +
    usage.outputTokens +
    (usage.cacheReadInputTokens ?? 0) +
    (usage.cacheWriteInputTokens ?? 0)
  );
}
