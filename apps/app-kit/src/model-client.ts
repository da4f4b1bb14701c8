import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { detectAwsCredentials } from './credentials.js';
import { type LocalSimulator, startLocalSimulator } from './local-simulator.js';
import { type Provider, resolveProvider } from './resolve-provider.js';
import type { ProviderChoice } from './settings.js';

/** Who answers. */
export type { Provider };

/** Region used for Bedrock when neither `--region` nor `AWS_REGION` / `AWS_DEFAULT_REGION` names one. */
export const FALLBACK_REGION = 'us-east-1';

/** Options of {@link connectModel}. */
export interface ConnectModelOptions {
  /** `auto` (Bedrock when AWS credentials are configured, else the simulator), `bedrock` or `simulator`. Default `auto`. */
  provider?: ProviderChoice;
  /** AWS region for Bedrock. Default `us-east-1`. */
  region?: string;
  /** The in-process simulator's time to first token in ms. Default: its realistic latency (about 1-3 s per answer). */
  simulatorLatencyMs?: number;
  /** Where credentials are looked for (`auto`). Default `process.env`. */
  environment?: NodeJS.ProcessEnv;
  /** Home directory holding `.aws/credentials` and `.aws/config` (`auto`). Default: the user's home. */
  homeDirectory?: string;
}

/** A Bedrock Runtime client, ready to be wrapped with the cache, and what it talks to. */
export interface ModelConnection {
  client: BedrockRuntimeClient;
  provider: Provider;
  /** The region (Bedrock) or `us-east-1` (simulator). */
  region: string;
  /** The simulator's URL, for the simulator. */
  endpoint: string | undefined;
  /**
   * One line for the user when `auto` chose, e.g. `no AWS credentials found (...); using the local Bedrock
   * simulator (answers are simulated)`. `undefined` when the provider was named.
   */
  notice: string | undefined;
  /** Another client configured like `client` (for example one per tenant); the caller destroys it. */
  createClient(): BedrockRuntimeClient;
  /** Destroys the client and stops the in-process simulator. */
  close(): Promise<void>;
}

/**
 * Who answers: the provider asked for, or for `auto` the one the credentials found (without asking the
 * network), with the one-line notice of that choice.
 */
export function chooseProvider(
  options: Pick<ConnectModelOptions, 'provider' | 'environment' | 'homeDirectory'> = {},
): { provider: Provider; notice: string | undefined } {
  const requested = options.provider ?? 'auto';
  if (requested !== 'auto') return { provider: requested, notice: undefined };
  const detection = detectAwsCredentials({
    ...(options.environment ? { env: options.environment } : {}),
    ...(options.homeDirectory ? { homeDirectory: options.homeDirectory } : {}),
  });
  const decision = resolveProvider(requested, detection);
  return { provider: decision.provider, notice: decision.reason };
}

/**
 * Chooses who answers and creates the SDK client for it.
 * - `simulator`: starts the simulator in this process on a free loopback port; the client gets static
 *   `test`/`test` credentials, the local endpoint and `maxAttempts: 1`, so it never looks for real credentials.
 * - `bedrock`: the SDK's default credential chain and the region.
 * - `auto`: `bedrock` when AWS credentials are configured in the environment or in `~/.aws` files (never asking
 *   the network, see `detectAwsCredentials`), else the simulator, with a one-line {@link ModelConnection.notice}.
 */
export async function connectModel(options: ConnectModelOptions = {}): Promise<ModelConnection> {
  const { provider, notice } = chooseProvider(options);

  if (provider === 'bedrock') {
    const region = options.region ?? FALLBACK_REGION;
    // cacheMiddleware: the SDK builds its middleware stack once instead of on every send (a hit costs ~4x less).
    const createClient = () => new BedrockRuntimeClient({ region, cacheMiddleware: true });
    const client = createClient();
    return {
      client,
      provider,
      region,
      endpoint: undefined,
      notice,
      createClient,
      close: async () => client.destroy(),
    };
  }

  let simulator: LocalSimulator | undefined = await startLocalSimulator(
    options.simulatorLatencyMs === undefined ? {} : { latencyMs: options.simulatorLatencyMs },
  );
  const endpoint = simulator.url;
  const createClient = () =>
    new BedrockRuntimeClient({
      endpoint,
      region: FALLBACK_REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      cacheMiddleware: true,
    });
  const client = createClient();
  return {
    client,
    provider,
    region: FALLBACK_REGION,
    endpoint,
    notice,
    createClient,
    async close() {
      client.destroy();
      const running = simulator;
      simulator = undefined;
      await running?.close();
    },
  };
}
