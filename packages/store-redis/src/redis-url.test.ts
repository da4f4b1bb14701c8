import { InvalidOptionError } from '@prompt-cache/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDIS_URL, parseRedisUrl } from './index.js';

describe('parseRedisUrl', () => {
  it('reads host, port, database, credentials and TLS', () => {
    expect(parseRedisUrl('rediss://cache:s%40cret@[::1]:6380/2')).toEqual({
      host: '::1',
      port: 6380,
      db: 2,
      username: 'cache',
      password: 's@cret',
      tls: true,
    });
    expect(parseRedisUrl(DEFAULT_REDIS_URL)).toMatchObject({
      host: '127.0.0.1',
      port: 6379,
      db: 0,
      tls: false,
    });
  });

  it('names the value as the caller calls it, and never repeats a password', () => {
    expect(() => parseRedisUrl('http://user:secret@x', '--redis-url')).toThrow(
      /^\[store-redis\] --redis-url must start with redis:\/\/ or rediss:\/\/; got "http"$/,
    );
    expect(() => parseRedisUrl('not a url')).toThrow(InvalidOptionError);
    expect(() => parseRedisUrl('redis://h/x', 'redisUrl')).toThrow(
      /database in redisUrl must be a whole number/,
    );
  });
});
