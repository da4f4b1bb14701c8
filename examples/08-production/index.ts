// Module 8: production. The caching gateway (what `prompt-cache serve` starts) in this process, in front of the
// local Bedrock simulator: an unmodified SDK client and plain HTTP calls go through it, two tenants stay apart,
// personal data is not cached, stored answers are encrypted, and /v1/stats and /metrics show how it is doing.
import { randomBytes } from 'node:crypto';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { startGateway } from '@prompt-cache/server';

// Keep the SDK quiet and off the network: no Node-version notice, no EC2 metadata lookups.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';

const MODEL = 'amazon.nova-lite-v1:0';
const KEYS = { teamA: 'key-team-a', teamB: 'key-team-b', admin: 'key-admin' };

const gateway = await startGateway({
  port: 0, // a free port; `prompt-cache serve` uses 8787
  upstream: 'simulator', // misses go to the local simulator, never to AWS
  simulatorLatencyMs: process.env.PROMPT_CACHE_FAST_EXAMPLES ? 0 : 300,
  cacheType: 'memory',
  apiKeys: { [KEYS.teamA]: 'team-a', [KEYS.teamB]: 'team-b' },
  adminKey: KEYS.admin,
  processMetrics: false,
  // The security settings of SECURITY.md, as `prompt-cache serve` reads them from the environment.
  environment: {
    PROMPT_CACHE_ENCRYPTION_KEYS: `course-key:${randomBytes(32).toString('base64')}`,
    PROMPT_CACHE_KEY_SECRET: randomBytes(32).toString('hex'),
    PROMPT_CACHE_SENSITIVE_GUARD: 'on',
  },
});

/** An unmodified SDK client pointed at the gateway; the access key id is the tenant's API key. */
const clientFor = (apiKey: string) =>
  new BedrockRuntimeClient({
    endpoint: gateway.url,
    region: 'us-east-1',
    credentials: { accessKeyId: apiKey, secretAccessKey: 'unused' },
    maxAttempts: 1,
  });

/** The same request as curl would send it: Bedrock's Converse route, over HTTP/1.1. */
async function converse(apiKey: string, text: string) {
  const started = performance.now();
  const response = await fetch(`${gateway.url}/model/${encodeURIComponent(MODEL)}/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] }),
  });
  await response.arrayBuffer();
  return { header: response.headers.get('x-prompt-cache'), ms: performance.now() - started };
}

const get = async (path: string, apiKey: string) => {
  const response = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: response.status, text: await response.text() };
};
const formatMs = (ms: number | null) =>
  ms === null ? 'n/a' : ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;

const teamA = clientFor(KEYS.teamA);
try {
  console.log(
    `The gateway listens on ${gateway.url} (upstream: ${gateway.upstream.provider}, store: ${gateway.storeLabel})`,
  );
  console.log(`  dashboard ${gateway.url}/   Bedrock API ${gateway.url}/model/{modelId}/converse\n`);

  console.log("1. Team A's unmodified SDK client, endpoint = the gateway:");
  for (const text of ['What is a TTL?', 'What is a cache stampede?', 'What is a TTL?', 'What is a TTL?']) {
    const started = performance.now();
    const response = await teamA.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text }] }] }),
    );
    const answer = response.output?.message?.content?.[0]?.text ?? '';
    console.log(
      `  ${formatMs(performance.now() - started).padStart(8)}  ${text.padEnd(28)} ${answer.slice(0, 40)}…`,
    );
  }
  const curl = await converse(KEYS.teamA, 'What is a TTL?');
  console.log(
    `  the same request over plain HTTP (curl): x-prompt-cache: ${curl.header}, ${formatMs(curl.ms)}`,
  );

  console.log('\n2. Tenants: each API key has its own namespace');
  const teamB = await converse(KEYS.teamB, 'What is a TTL?');
  console.log(
    `  ${'team B asks the same question:'.padEnd(38)}x-prompt-cache: ${teamB.header} (it never sees team A's answers)`,
  );
  const clear = await fetch(`${gateway.url}/v1/cache`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${KEYS.teamA}` },
  });
  console.log(
    `  ${'team A tries to clear the cache:'.padEnd(38)}${clear.status} (clearing needs the admin key)`,
  );

  console.log('\n3. The sensitive-data guard: personal data is answered, never cached');
  for (let attempt = 1; attempt <= 2; attempt++) {
    const asked = await converse(KEYS.teamA, 'My email is jane@example.com. Summarize my last ticket.');
    console.log(`  ${`ask ${attempt} with an email address:`.padEnd(38)}x-prompt-cache: ${asked.header}`);
  }

  console.log('\n4. What the store holds: keyed (HMAC) key names, encrypted answers');
  for await (const key of gateway.store.keys?.('team-a:') ?? []) {
    const entry = await gateway.store.get(key);
    const value = entry ? Buffer.from(entry.value as Uint8Array) : Buffer.alloc(0);
    console.log(
      `  ${key.slice(0, 32)}…  value starts "${value.subarray(0, 4).toString()}" (AES-256-GCM), ${value.length} bytes`,
    );
    break;
  }

  console.log("\n5. Monitoring: GET /v1/stats (team A's figures)");
  const stats = JSON.parse((await get('/v1/stats', KEYS.teamA)).text);
  const speedup = stats.latency.hit.p50 ? stats.latency.miss.p50 / stats.latency.hit.p50 : 0;
  const reduction = stats.savedUsd / (stats.savedUsd + stats.spentUsd || 1);
  console.log(`  hit rate         ${(stats.hitRate * 100).toFixed(0)}%   (target > 70%)`);
  const calls = stats.hits + stats.misses + stats.bypasses;
  console.log(
    `  errors           ${stats.errors} for ${calls} calls (target < 1%; here: the clear refused in step 2)`,
  );
  console.log(
    `  hit latency p50  ${formatMs(stats.latency.hit.p50)} vs miss ${formatMs(stats.latency.miss.p50)}: ${speedup.toFixed(0)}x faster (target > 5x)`,
  );
  console.log(`  cost reduction   ${(reduction * 100).toFixed(0)}%   (target > 50%)`);

  console.log('\n6. GET /metrics (Prometheus, admin key), a few lines:');
  const metrics = (await get('/metrics', KEYS.admin)).text.split('\n');
  for (const metric of [
    'prompt_cache_hits_total{',
    'prompt_cache_misses_total{',
    'prompt_cache_saved_usd_total{',
  ]) {
    for (const found of metrics.filter((row) => row.startsWith(metric))) console.log(`  ${found}`);
  }
  console.log(`  /metrics with a tenant's key: ${(await get('/metrics', KEYS.teamA)).status}`);
} finally {
  teamA.destroy();
  await gateway.close();
}
console.log('\nGateway stopped. Exercise 8 turns figures like these into alerts.');
