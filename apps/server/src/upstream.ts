import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { connectModel, type ModelConnection, type ProviderChoice } from '@prompt-cache/app-kit';

/** Who answers the gateway's misses. */
export interface Upstream {
  provider: 'bedrock' | 'simulator';
  /** The simulator's URL (in this process), or `undefined` for Bedrock's own endpoint. */
  endpoint: string | undefined;
  region: string;
  /** One line when `auto` chose, e.g. why the simulator is used. */
  notice: string | undefined;
  /**
   * A new SDK client for the upstream. Each namespace gets a client of its own, because a client carries one
   * cache (`withPromptCache` adds one middleware).
   */
  createClient(): BedrockRuntimeClient;
  /** Stops the in-process simulator, if any, and destroys the first client. */
  close(): Promise<void>;
}

/** Options of {@link connectUpstream}. */
export interface UpstreamOptions {
  provider: ProviderChoice;
  region: string | undefined;
  simulatorLatencyMs: number | undefined;
  environment?: NodeJS.ProcessEnv;
}

/**
 * Connects to the upstream with app-kit's provider selection (`auto` never asks the network for credentials:
 * it reads only environment variables and `~/.aws` files). For Bedrock the clients use the SDK's default
 * credential chain, the gateway's own credentials; callers' credentials are never forwarded.
 */
export async function connectUpstream(options: UpstreamOptions): Promise<Upstream> {
  const connection: ModelConnection = await connectModel({
    provider: options.provider,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.simulatorLatencyMs === undefined ? {} : { simulatorLatencyMs: options.simulatorLatencyMs }),
    ...(options.environment === undefined ? {} : { environment: options.environment }),
  });
  let first: BedrockRuntimeClient | undefined = connection.client;
  return {
    provider: connection.provider,
    endpoint: connection.endpoint,
    region: connection.region,
    notice: connection.notice,
    createClient() {
      // The first namespace takes the client app-kit made; later ones get one with the same configuration.
      if (first) {
        const client = first;
        first = undefined;
        return client;
      }
      return connection.createClient();
    },
    close: () => connection.close(),
  };
}
