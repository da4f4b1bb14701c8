export { findFreePort, isPortFree } from './free-port.js';
export { REDIS_INSTALL_HINT, redisAvailable, requireRedis } from './redis-available.js';
export { type RedisClusterHandle, type RedisClusterOptions, startRedisCluster } from './redis-cluster.js';
export {
  type AclUser,
  type RedisServerHandle,
  type RedisServerOptions,
  startRedisServer,
} from './redis-server.js';
export { type Requirement, requirementMet, runningInCi } from './requirements.js';
export { type RespReply, sendCommand } from './resp.js';
export { spawnSourceWorker } from './source-worker.js';
