import type { HttpResponse } from '@prompt-cache/bedrock-simulator';
import type { RequestRecord } from './activity.js';
import { callerOf, namespaceFor, type RequestContext } from './context.js';
import type { Route } from './router.js';
import type { StatsView } from './stats-view.js';

/** How often an idle stream gets a comment line, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;
/** Least time between two `stats` events. */
const STATS_INTERVAL_MS = 250;
/** A client that lets this much pile up unread is dropped (it reconnects and starts afresh). */
const MAX_BUFFERED_BYTES = 1_048_576;

/** Options of {@link eventsRoute}. */
export interface EventsOptions {
  statsOf(namespace: string | undefined): Promise<StatsView>;
  /** Aborted when the gateway shuts down: every stream ends. */
  shutdown: AbortSignal;
}

/**
 * `GET /v1/events`: Server-Sent Events for the dashboard. First `hello` (`{ stats, recent }`), then a `request`
 * event per finished call and a `stats` event at most every 250 ms while there is traffic. A tenant sees only its
 * own namespace; the admin sees every namespace (or `?namespace=`).
 */
export function eventsRoute(options: EventsOptions): Route<RequestContext> {
  return {
    method: 'GET',
    pattern: '/v1/events',
    access: 'caller',
    name: 'events',
    async handle(context) {
      const caller = callerOf(context);
      const requested = context.query.get('namespace') || undefined;
      const scope =
        caller.admin && requested === undefined ? undefined : namespaceFor(caller, requested, 'namespace');
      const { response, services } = context;
      response.statusCode = 200;
      response.setHeader('content-type', 'text/event-stream; charset=utf-8');
      response.setHeader('cache-control', 'no-store');
      response.setHeader('x-accel-buffering', 'no');

      const write = (text: string): void => {
        if (response.destroyed || response.writableEnded) return;
        if (response.writableLength > MAX_BUFFERED_BYTES) {
          response.end();
          return;
        }
        (response as { write(chunk: string): boolean }).write(text);
      };
      const send = (event: string, data: unknown): void =>
        write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      let statsTimer: NodeJS.Timeout | undefined;
      let statsDue = false;
      const sendStats = async (): Promise<void> => {
        statsTimer = undefined;
        if (!statsDue) return;
        statsDue = false;
        send('stats', await options.statsOf(scope));
      };
      const onRequest = (record: RequestRecord): void => {
        if (scope !== undefined && record.namespace !== scope) return;
        send('request', record);
        statsDue = true;
        statsTimer ??= setTimeout(() => void sendStats().catch(() => undefined), STATS_INTERVAL_MS);
      };

      write('retry: 2000\n\n');
      send('hello', {
        caller: { tenant: caller.tenant, namespace: caller.namespace, admin: caller.admin },
        stats: await options.statsOf(scope),
        recent: services.activity.recentRequests(scope, 100),
      });
      services.activity.on('request', onRequest);
      const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      try {
        await closedOrShutdown(response, options.shutdown);
      } finally {
        services.activity.off('request', onRequest);
        clearInterval(heartbeat);
        if (statsTimer) clearTimeout(statsTimer);
        if (!response.writableEnded && !response.destroyed) {
          // End the stream properly (the last chunk reaches the client) before the gateway closes sockets.
          await new Promise<void>((resolve) => {
            response.end(resolve);
            (response as NodeJS.EventEmitter).once('close', resolve);
          });
        }
      }
    },
  };
}

function closedOrShutdown(response: HttpResponse, shutdown: AbortSignal): Promise<void> {
  if (shutdown.aborted || response.destroyed) return Promise.resolve();
  const emitter = response as NodeJS.EventEmitter;
  return new Promise((resolve) => {
    const done = (): void => {
      emitter.off('close', done);
      shutdown.removeEventListener('abort', done);
      resolve();
    };
    emitter.on('close', done);
    shutdown.addEventListener('abort', done);
  });
}
