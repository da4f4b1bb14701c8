import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Gateway, resolveGatewayConfig, startGateway } from '../src/index.js';
import { converseBody, createGatewayClient, startTestGateway } from './helpers.js';

const MODEL_PATH = encodeURIComponent('amazon.nova-lite-v1:0');
const KEYS = { a: 'key-a-0123456789', b: 'key-b-0123456789', admin: 'admin-0123456789' };

const PROMPT = 'Which tenant am I? (tenants isolation)';

// A fresh gateway per test: every test makes the entries it reads, so the tests pass alone and in any order.
let gateway: Gateway;

beforeEach(async () => {
  gateway = await startTestGateway({
    apiKeys: `${KEYS.a}=tenant-a,${KEYS.b}=tenant-b`,
    adminKey: KEYS.admin,
  });
});

afterEach(async () => {
  await gateway?.close();
});

function call(path: string, key: string | undefined, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(init.headers as Record<string, string>),
  };
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(`${gateway.url}${path}`, { ...init, headers });
}

function ask(key: string | undefined, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call('/v1/ask', key, { method: 'POST', body: JSON.stringify(body), headers });
}

/** One entry per tenant for {@link PROMPT}: tenant A asks twice (a miss, then a hit), tenant B once. */
async function seedBothTenants(): Promise<void> {
  expect((await ask(KEYS.a, { prompt: PROMPT })).headers.get('x-prompt-cache')).toBe('miss');
  expect((await ask(KEYS.a, { prompt: PROMPT })).headers.get('x-prompt-cache')).toBe('hit');
  expect((await ask(KEYS.b, { prompt: PROMPT })).headers.get('x-prompt-cache')).toBe('miss');
}

describe('tenants', () => {
  it("keeps each tenant's entries apart: A's entry is a miss for B", async () => {
    const prompt = PROMPT;
    const first = await ask(KEYS.a, { prompt });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-prompt-cache')).toBe('miss');
    expect(first.headers.get('x-prompt-cache-key')).toMatch(/^tenant-a:v1:/);
    expect((await ask(KEYS.a, { prompt })).headers.get('x-prompt-cache')).toBe('hit');
    const other = await ask(KEYS.b, { prompt });
    expect(other.headers.get('x-prompt-cache')).toBe('miss');
    expect(other.headers.get('x-prompt-cache-key')).toMatch(/^tenant-b:v1:/);
    // x-api-key works as well as a bearer token.
    const viaHeader = await fetch(`${gateway.url}/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEYS.b },
      body: JSON.stringify({ prompt }),
    });
    expect(viaHeader.headers.get('x-prompt-cache')).toBe('hit');
  });

  it("tenant B sending tenant A's exact request bytes (the path that skips parsing) misses in B's namespace", async () => {
    const bytes = JSON.stringify(converseBody('The same bytes from two tenants (tenants isolation)'));
    const converse = (key: string) =>
      call(`/model/${MODEL_PATH}/converse`, key, { method: 'POST', body: bytes });
    expect((await converse(KEYS.a)).headers.get('x-prompt-cache')).toBe('miss');
    // The second call of A takes the fast path: these bytes are known, their key is remembered.
    const repeated = await converse(KEYS.a);
    expect(repeated.headers.get('x-prompt-cache')).toBe('hit');
    expect(repeated.headers.get('x-prompt-cache-key')).toMatch(/^tenant-a:v1:/);
    const fromB = await converse(KEYS.b);
    expect(fromB.status).toBe(200);
    expect(fromB.headers.get('x-prompt-cache')).toBe('miss');
    expect(fromB.headers.get('x-prompt-cache-key')).toMatch(/^tenant-b:v1:/);
    expect((await converse(KEYS.b)).headers.get('x-prompt-cache-key')).toMatch(/^tenant-b:v1:/);
  });

  it('known bytes are still refused without a key, and the admin reaches them in the tenant namespace', async () => {
    const bytes = JSON.stringify(converseBody('Known bytes, unknown caller (tenants isolation)'));
    const converse = (key: string | undefined, headers: Record<string, string> = {}) =>
      call(`/model/${MODEL_PATH}/converse`, key, { method: 'POST', body: bytes, headers });
    await (await converse(KEYS.a)).text();
    const known = await converse(KEYS.a);
    expect(known.headers.get('x-prompt-cache')).toBe('hit');
    for (const key of [undefined, 'not-a-key-0123456789']) {
      const refused = await converse(key);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-prompt-cache')).toBeNull();
    }
    const admin = await converse(KEYS.admin, { 'x-prompt-cache-namespace': 'tenant-a' });
    expect(admin.headers.get('x-prompt-cache')).toBe('hit');
    expect(admin.headers.get('x-prompt-cache-key')).toBe(known.headers.get('x-prompt-cache-key'));
  });

  it('a tenant lists and counts only its own entries', async () => {
    await seedBothTenants();
    const listB = (await (await call('/v1/entries', KEYS.b)).json()) as {
      scope: string;
      entries: Array<{ key: string }>;
    };
    expect(listB.scope).toBe('tenant-b');
    expect(listB.entries.length).toBeGreaterThan(0);
    expect(listB.entries.every((entry) => entry.key.startsWith('tenant-b:'))).toBe(true);
    const statsA = (await (await call('/v1/stats', KEYS.a)).json()) as {
      scope: string;
      hits: number;
      misses: number;
    };
    expect(statsA).toMatchObject({ scope: 'tenant-a', hits: 1, misses: 1 });
    const all = (await (await call('/v1/entries', KEYS.admin)).json()) as {
      scope: string;
      entries: Array<{ key: string }>;
    };
    expect(all.scope).toBe('all');
    expect(all.entries.some((entry) => entry.key.startsWith('tenant-a:'))).toBe(true);
    expect(all.entries.some((entry) => entry.key.startsWith('tenant-b:'))).toBe(true);
  });

  it('a tenant cannot name another namespace; the admin can', async () => {
    await seedBothTenants();
    const prompt = PROMPT;
    const sneaky = await ask(KEYS.b, { prompt, namespace: 'tenant-a' });
    expect(sneaky.status).toBe(403);
    expect(sneaky.headers.get('x-amzn-errortype')).toMatch(/^AccessDeniedException/);
    const viaHeader = await call(`/model/${MODEL_PATH}/converse`, KEYS.b, {
      method: 'POST',
      body: JSON.stringify(converseBody(prompt)),
      headers: { 'x-prompt-cache-namespace': 'tenant-a' },
    });
    expect(viaHeader.status).toBe(403);
    const entries = await call('/v1/entries?namespace=tenant-a', KEYS.b);
    expect(entries.status).toBe(403);
    const admin = await ask(KEYS.admin, { prompt, namespace: 'tenant-a' });
    expect(admin.headers.get('x-prompt-cache')).toBe('hit');
  });

  it('clearing needs the admin key: B cannot clear A, A cannot clear itself', async () => {
    await seedBothTenants();
    const byB = await call('/v1/cache?namespace=tenant-a', KEYS.b, { method: 'DELETE' });
    expect(byB.status).toBe(403);
    expect(byB.headers.get('x-amzn-errortype')).toMatch(/^AccessDeniedException/);
    expect(((await byB.json()) as { message: string }).message).toContain('admin key');
    const byA = await call('/v1/cache', KEYS.a, { method: 'DELETE' });
    expect(byA.status).toBe(403);
    const prompt = PROMPT;
    expect((await ask(KEYS.a, { prompt })).headers.get('x-prompt-cache')).toBe('hit');

    const byAdmin = await call('/v1/cache?namespace=tenant-a', KEYS.admin, { method: 'DELETE' });
    expect(byAdmin.status).toBe(200);
    expect(await byAdmin.json()).toMatchObject({ namespace: 'tenant-a', removed: 1 });
    expect((await ask(KEYS.a, { prompt })).headers.get('x-prompt-cache')).toBe('miss');
    expect((await ask(KEYS.b, { prompt })).headers.get('x-prompt-cache')).toBe('hit');
  });

  it('refuses calls without a known key (401), but serves /healthz and the dashboard page', async () => {
    for (const key of [undefined, 'not-a-key']) {
      const response = await ask(key, { prompt: 'no key' });
      expect(response.status).toBe(401);
      expect(response.headers.get('x-amzn-errortype')).toMatch(/^AccessDeniedException/);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const bedrock = await call(`/model/${MODEL_PATH}/converse`, key, {
        method: 'POST',
        body: JSON.stringify(converseBody('no key')),
      });
      expect(bedrock.status).toBe(401);
    }
    expect((await call('/healthz', undefined)).status).toBe(200);
    expect((await call('/', undefined)).status).toBe(200);
    expect((await call('/v1/events', undefined)).status).toBe(401);
  });

  it('/metrics needs the admin key', async () => {
    await seedBothTenants();
    expect((await call('/metrics', KEYS.a)).status).toBe(403);
    const metrics = await call('/metrics', KEYS.admin);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('namespace="tenant-b"');
  });

  it('the unmodified SDK passes its key as the access key id (SigV4) or as a bearer token', async () => {
    const input = {
      modelId: 'amazon.nova-lite-v1:0',
      messages: [{ role: 'user' as const, content: [{ text: 'SDK tenant (tenants)' }] }],
    };
    const { client, seen } = createGatewayClient(gateway.url, { accessKeyId: KEYS.b });
    try {
      await client.send(new ConverseCommand(input));
      expect(seen.last()['x-prompt-cache-key']).toMatch(/^tenant-b:v1:/);
      await client.send(new ConverseCommand(input));
      expect(seen.last()['x-prompt-cache']).toBe('hit');
    } finally {
      client.destroy();
    }
    const bearer = new BedrockRuntimeClient({
      endpoint: gateway.url,
      region: 'us-east-1',
      token: { token: KEYS.b },
      authSchemePreference: ['httpBearerAuth'],
      maxAttempts: 1,
    });
    try {
      const output = await bearer.send(new ConverseCommand(input));
      expect(output.output?.message?.content?.[0]?.text).toMatch(/^\[simulated\] /);
    } finally {
      bearer.destroy();
    }
    const stranger = createGatewayClient(gateway.url, { accessKeyId: 'test' });
    try {
      const error = await stranger.client.send(new ConverseCommand(input)).catch((caught: unknown) => caught);
      expect((error as Error).name).toBe('AccessDeniedException');
    } finally {
      stranger.client.destroy();
    }
  });
});

describe('binding', () => {
  it('refuses a non-loopback host without keys, in one line', () => {
    expect(() => resolveGatewayConfig({ host: '0.0.0.0', environment: {} })).toThrow(
      /^\[server\] refusing to listen on 0\.0\.0\.0 without API keys; set PROMPT_CACHE_API_KEYS/,
    );
    expect(() =>
      resolveGatewayConfig({ host: '0.0.0.0', environment: { PROMPT_CACHE_API_KEYS: 'k3y=tenant' } }),
    ).not.toThrow();
    expect(resolveGatewayConfig({ environment: {} })).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      loopback: true,
    });
  });

  it('reads the port, upstream and keys from the environment', () => {
    const config = resolveGatewayConfig({
      environment: {
        PROMPT_CACHE_PORT: '9999',
        PROMPT_CACHE_UPSTREAM: 'simulator',
        PROMPT_CACHE_API_KEYS: 'k1=alpha, k2=beta',
        PROMPT_CACHE_ADMIN_KEY: 'root-key',
        PROMPT_CACHE_CACHE_TYPE: 'file',
        PROMPT_CACHE_TTL: '2h',
      },
    });
    expect(config).toMatchObject({ port: 9999, upstream: 'simulator', maxBodyBytes: 1_048_576 });
    expect(config.settings).toMatchObject({ cacheType: 'file', ttlSeconds: 7200 });
    expect([...config.keys.keys]).toEqual([
      ['k1', 'alpha'],
      ['k2', 'beta'],
    ]);
    expect(config.keys.adminKey).toBe('root-key');
    expect(() => resolveGatewayConfig({ environment: { PROMPT_CACHE_PORT: 'abc' } })).toThrow(
      /PROMPT_CACHE_PORT/,
    );
    expect(() => resolveGatewayConfig({ environment: { PROMPT_CACHE_API_KEYS: 'novalue' } })).toThrow(
      /key=tenant/,
    );
    expect(() => resolveGatewayConfig({ environment: { PROMPT_CACHE_API_KEYS: 'k=bad tenant!' } })).toThrow(
      /tenant/,
    );
  });

  it('a gateway with keys starts without the loopback notice', async () => {
    expect(gateway.open).toBe(false);
    expect(gateway.notices.join('\n')).not.toContain('no API keys');
    const open = await startGateway({
      port: 0,
      upstream: 'simulator',
      cacheType: 'memory',
      environment: {},
      processMetrics: false,
    });
    try {
      expect(open.open).toBe(true);
      expect(open.notices[0]).toMatch(/^no API keys configured: listening on loopback only/);
    } finally {
      await open.close();
    }
  });
});
