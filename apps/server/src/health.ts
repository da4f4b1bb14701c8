import { checkStore } from '@prompt-cache/app-kit';
import { withTimeout } from '@prompt-cache/core/store-kit';
import type { RequestContext } from './context.js';
import { sendJson } from './replies.js';
import type { Route } from './router.js';

/** Longest wait for the store to answer a health check. */
const HEALTH_TIMEOUT_MS = 2000;

/** `GET /healthz`: 200 `{ status: 'ok' }` when the store answers, else 503 `{ status: 'unavailable', reason }`. */
export function healthRoute(): Route<RequestContext> {
  return {
    method: 'GET',
    pattern: '/healthz',
    access: 'public',
    name: 'healthz',
    async handle(context) {
      const { services } = context;
      const base = { store: services.storeLabel, upstream: services.upstream.provider };
      try {
        await withTimeout(
          checkStore(services.store),
          HEALTH_TIMEOUT_MS,
          `${services.store.name} health check`,
        );
        sendJson(context.response, 200, { status: 'ok', ...base }, { 'cache-control': 'no-store' });
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
        sendJson(
          context.response,
          503,
          { status: 'unavailable', reason, ...base },
          { 'cache-control': 'no-store' },
        );
      }
    },
  };
}
