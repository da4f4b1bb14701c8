export { Activity, type CallOutcome, type RequestRecord } from './activity.js';
export { CACHE_HEADERS } from './cache-headers.js';
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  GATEWAY_ENVIRONMENT_VARIABLES,
  type GatewayConfig,
  type GatewayConfigOptions,
  isLoopbackHost,
  resolveGatewayConfig,
} from './config.js';
export { GatewayError, type GatewayErrorType } from './errors.js';
export { type Gateway, type GatewayOptions, startGateway } from './gateway.js';
export { DEFAULT_MAX_BODY_BYTES } from './http-io.js';
export { METRIC_NAMES } from './metrics.js';
export type { StatsView } from './stats-view.js';
export type { StoreState } from './store-health.js';
export { type Caller, parseApiKeys } from './tenants.js';
