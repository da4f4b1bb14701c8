import { describe, expect, it } from 'vitest';
import { parseTtlFlag, resolveSettings } from './settings.js';

describe('resolveSettings', () => {
  it('applies the defaults when nothing is given', () => {
    const settings = resolveSettings({}, {});
    expect(settings).toMatchObject({
      cacheType: 'file',
      cacheDir: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      ttlSeconds: 3600,
      namespace: 'prompt-cache',
      provider: 'auto',
      region: undefined,
      model: 'amazon.nova-lite-v1:0',
      simulatorLatencyMs: undefined,
      semantic: false,
    });
  });

  it('turns semantic matching on from --semantic or PROMPT_CACHE_SEMANTIC; the flag wins', () => {
    expect(resolveSettings({ semantic: true }, {}).semantic).toBe(true);
    expect(resolveSettings({}, { PROMPT_CACHE_SEMANTIC: 'ON' }).semantic).toBe(true);
    expect(resolveSettings({}, { PROMPT_CACHE_SEMANTIC: '0' }).semantic).toBe(false);
    expect(resolveSettings({ semantic: false }, { PROMPT_CACHE_SEMANTIC: 'on' }).semantic).toBe(false);
    expect(() => resolveSettings({}, { PROMPT_CACHE_SEMANTIC: 'perhaps' })).toThrow(
      '[app-kit] PROMPT_CACHE_SEMANTIC must be on or off; got "perhaps"',
    );
    expect(() => resolveSettings({}, { PROMPT_CACHE_SENSITIVE_GUARD: 'perhaps' })).toThrow(
      '[app-kit] PROMPT_CACHE_SENSITIVE_GUARD must be on or off; got "perhaps"',
    );
  });

  it('reads environment variables, and a flag wins over its variable', () => {
    const environment = {
      PROMPT_CACHE_CACHE_TYPE: 'redis',
      PROMPT_CACHE_TTL: '60',
      PROMPT_CACHE_NAMESPACE: 'from-env',
      PROMPT_CACHE_PROVIDER: 'simulator',
      PROMPT_CACHE_SIMULATOR_LATENCY_MS: '0',
      AWS_REGION: 'eu-west-1',
    };
    expect(resolveSettings({}, environment)).toMatchObject({
      cacheType: 'redis',
      ttlSeconds: 60,
      namespace: 'from-env',
      provider: 'simulator',
      simulatorLatencyMs: 0,
      region: 'eu-west-1',
    });
    expect(
      resolveSettings({ cacheType: 'memory', ttl: '2h', region: 'us-west-2' }, environment),
    ).toMatchObject({
      cacheType: 'memory',
      ttlSeconds: 7200,
      region: 'us-west-2',
    });
  });

  it('takes app defaults when neither flag nor variable is set', () => {
    expect(resolveSettings({}, {}, { cacheType: 'memory', ttlSeconds: 5 })).toMatchObject({
      cacheType: 'memory',
      ttlSeconds: 5,
    });
  });

  it.each([
    [{ ttl: '-5' }, /--ttl must be a number of seconds >= 0.*"-5"/],
    [{ ttl: 'abc' }, /--ttl must be a number of seconds >= 0.*"abc"/],
    [{ cacheType: 'disk' }, /unknown cache type "disk" \(--cache-type\); use one of: memory, file, redis/],
    [{ provider: 'openai' }, /unknown provider "openai" \(--provider\)/],
    [{ namespace: 'a b' }, /--namespace must be 1-64 letters/],
    [{ redisUrl: 'http://x' }, /--redis-url must start with redis:\/\//],
    [{ redisUrl: 'not a url' }, /--redis-url is not a URL/],
    [{ simulatorLatencyMs: '-1' }, /--simulator-latency must be a whole number of milliseconds/],
  ])('rejects %o with one line', (raw, message) => {
    let error: unknown;
    try {
      resolveSettings(raw, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect((error as { code?: string }).code).toMatch(/^INVALID_(OPTION|TTL)$/);
  });

  it('names the variable when a bad value came from the environment', () => {
    expect(() => resolveSettings({}, { PROMPT_CACHE_TTL: 'soon' })).toThrow(/PROMPT_CACHE_TTL/);
    expect(() => resolveSettings({}, { PROMPT_CACHE_CACHE_TYPE: 'disk' })).toThrow(/PROMPT_CACHE_CACHE_TYPE/);
  });
});

describe('parseTtlFlag', () => {
  it.each([
    ['0', 0],
    ['90', 90],
    ['1.5', 1.5],
    ['90s', 90],
    ['30m', 1800],
    ['2h', 7200],
    ['1d', 86_400],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseTtlFlag(text)).toBe(seconds);
  });

  it.each(['', '1e3', '0x10', '5 minutes', '-1', 'Infinity'])('refuses %j', (text) => {
    expect(() => parseTtlFlag(text)).toThrow(/--ttl must be a number of seconds/);
  });
});
