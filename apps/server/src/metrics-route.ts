import type { RequestContext } from './context.js';
import type { GatewayMetrics } from './metrics.js';
import { sendText } from './replies.js';
import type { Route } from './router.js';

/** `GET /metrics`: the Prometheus text exposition. Needs the admin key when keys are configured. */
export function metricsRoute(metrics: GatewayMetrics): Route<RequestContext> {
  return {
    method: 'GET',
    pattern: '/metrics',
    access: 'admin',
    name: 'metrics',
    async handle(context) {
      const { contentType, text } = await metrics.render();
      sendText(context.response, 200, text, { 'content-type': contentType, 'cache-control': 'no-store' });
    },
  };
}
