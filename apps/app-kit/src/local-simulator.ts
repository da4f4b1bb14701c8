import { type BedrockSimulator, createBedrockSimulator } from '@prompt-cache/bedrock-simulator';

/** Options of {@link startLocalSimulator}. */
export interface LocalSimulatorOptions {
  /** Port to listen on; `0` picks a free one. Default `0`. */
  port?: number;
  /** Interface to bind. Default `'127.0.0.1'` (loopback only). */
  host?: string;
  /**
   * Time to first token in ms; `0` answers at once (tests). Default: the simulator's realistic latency
   * (500 ms to the first token, 10 ms per token, so about 1 to 3 s per answer).
   */
  latencyMs?: number;
}

/** A simulator listening on loopback. */
export interface LocalSimulator {
  readonly simulator: BedrockSimulator;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts `@prompt-cache/bedrock-simulator` in this process. Its answers start with `[simulated] `. */
export async function startLocalSimulator(options: LocalSimulatorOptions = {}): Promise<LocalSimulator> {
  const simulator = createBedrockSimulator(
    options.latencyMs === undefined ? {} : { latency: options.latencyMs },
  );
  const { url, port } = await simulator.listen({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
  });
  return { simulator, url, port, close: () => simulator.close() };
}

// Shared with the simulator's own command, which words listen failures the same way.
export { describeListenError } from '@prompt-cache/bedrock-simulator';
