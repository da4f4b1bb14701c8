import type { Gateway } from '@prompt-cache/server';
import { type Command, Option } from 'commander';
import { modelOptions, semanticOption, storeOptions, ttlOption } from '../options/shared-options.js';
import { colors, notice, say } from '../output/terminal.js';
import { runUntilStopped } from '../stop-signal.js';

interface ServeFlags {
  port?: string;
  host?: string;
  upstream?: string;
  cacheType?: string;
  cacheDir?: string;
  redisUrl?: string;
  namespace?: string;
  ttl?: string;
  region?: string;
  model?: string;
  simulatorLatency?: string;
  apiKeysFile?: string;
  maxBodyBytes?: string;
  semantic?: boolean;
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description(
      "start the caching gateway: Bedrock's own API with a cache in front, a JSON API, /metrics and a live dashboard",
    )
    .addOption(
      new Option(
        '--port <port>',
        'port to listen on; 0 picks a free port (default: 8787; env PROMPT_CACHE_PORT)',
      ),
    )
    .addOption(
      new Option(
        '--host <host>',
        'interface to bind; anything but loopback needs API keys (default: 127.0.0.1; env PROMPT_CACHE_HOST)',
      ),
    )
    .addOption(
      new Option(
        '--upstream <upstream>',
        'who answers misses: auto, bedrock or simulator; auto = Bedrock when AWS credentials are configured, else the local simulator (default: auto; env PROMPT_CACHE_UPSTREAM)',
      ),
    )
    .addOption(
      new Option(
        '--cache-type <type>',
        'where answers are cached: memory, file or redis (default: memory; env PROMPT_CACHE_CACHE_TYPE)',
      ),
    );
  // The shared store flags, except --cache-type (the gateway defaults to memory), and --region / --model.
  for (const option of storeOptions()) if (option.long !== '--cache-type') command.addOption(option);
  for (const option of modelOptions()) if (option.long !== '--provider') command.addOption(option);
  command
    .addOption(ttlOption())
    .addOption(semanticOption())
    .addOption(
      new Option(
        '--simulator-latency <ms>',
        "the simulator's time to first token in ms; 0 answers at once (env PROMPT_CACHE_SIMULATOR_LATENCY_MS)",
      ),
    )
    .addOption(
      new Option(
        '--api-keys-file <path>',
        'tenant API keys: JSON {"keys":{"<key>":"<tenant>"},"adminKey":"<key>"} or key=tenant lines (env PROMPT_CACHE_API_KEYS_FILE)',
      ),
    )
    .addOption(
      new Option(
        '--max-body-bytes <bytes>',
        'largest request body (default: 1048576; env PROMPT_CACHE_MAX_BODY_BYTES)',
      ),
    )
    .addHelpText(
      'after',
      `
Routes (one port, HTTP/2 cleartext and HTTP/1.1):
  POST /model/{modelId}/converse | converse-stream | invoke | invoke-with-response-stream   Bedrock Runtime's API
  POST /v1/ask  GET /v1/stats  GET /v1/entries  DELETE /v1/cache  GET /v1/events             the JSON API
  GET /metrics (Prometheus)  GET /healthz  GET / (the dashboard)
Responses carry x-prompt-cache: hit|semantic-hit|miss|bypass and x-prompt-cache-key (a semantic hit adds
x-prompt-cache-similarity and x-prompt-cache-matched-key); requests may send
x-prompt-cache-mode: bypass|refresh and x-prompt-cache-ttl: 10m (never forwarded upstream).

Tenants: PROMPT_CACHE_API_KEYS="key1=tenant-a,key2=tenant-b" and PROMPT_CACHE_ADMIN_KEY (or --api-keys-file);
callers send "authorization: Bearer <key>" or "x-api-key: <key>". Without keys it serves loopback only.

Examples:
  $ prompt-cache serve
  $ prompt-cache serve --port 0 --upstream simulator --simulator-latency 0
  $ prompt-cache serve --cache-type redis --redis-url redis://127.0.0.1:6380 --ttl 1d
  $ prompt-cache serve --semantic                 paraphrases of cached prompts are hits too
  $ curl -s localhost:8787/v1/ask -H 'content-type: application/json' -d '{"prompt":"What is a TTL?"}'
  SDK: new BedrockRuntimeClient({ endpoint: 'http://127.0.0.1:8787', region: 'us-east-1' })`,
    )
    .action(async (flags: ServeFlags) => {
      // Loaded on demand, so the other commands do not pay for the gateway at start-up.
      const { startGateway } = await import('@prompt-cache/server');
      const gateway: Gateway = await startGateway({
        port: flags.port,
        host: flags.host,
        upstream: flags.upstream,
        cacheType: flags.cacheType,
        cacheDir: flags.cacheDir,
        redisUrl: flags.redisUrl,
        namespace: flags.namespace,
        ttl: flags.ttl,
        region: flags.region,
        model: flags.model,
        simulatorLatencyMs: flags.simulatorLatency,
        apiKeysFile: flags.apiKeysFile,
        maxBodyBytes: flags.maxBodyBytes,
        ...(flags.semantic ? { semantic: true } : {}),
        log: (line) => notice(colors.dim(line)),
      });
      say(`${colors.bold('prompt-cache gateway')} listening on ${colors.cyan(gateway.url)}`);
      say(`  dashboard  ${gateway.url}/`);
      say(`  Bedrock    ${gateway.url}/model/{modelId}/converse (point an SDK client's endpoint here)`);
      say(`  store      ${gateway.storeLabel}`);
      for (const line of gateway.notices) say(`  ${line}`);
      await runUntilStopped('Gateway', () => gateway.close());
    });
}
