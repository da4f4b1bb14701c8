import KeyvRedis from '@keyv/redis';
import { RedisCache } from '@langchain/community/caches/ioredis';
import { Redis } from 'ioredis';
import Keyv from 'keyv';

/** keyv on Redis the way its README shows it: `new Keyv({ store: new KeyvRedis(url) })`. */
export function createKeyvOnRedis<Value>(url: string, namespace: string) {
  const keyv = new Keyv<Value>({ store: new KeyvRedis(url), namespace });
  keyv.on('error', (error: unknown) => console.error(`[bench] keyv: ${String(error)}`));
  return { keyv, close: () => keyv.disconnect() };
}

/**
 * LangChain's ioredis cache (`@langchain/community/caches/ioredis`) on its own ioredis client, the way its
 * docs show it: `new RedisCache(new Redis(url))`.
 */
export function createLangChainRedisCache(url: string) {
  const client = new Redis(url, { lazyConnect: false });
  const cache = new RedisCache(client);
  return {
    cache,
    close: async () => {
      await client.quit();
    },
  };
}
