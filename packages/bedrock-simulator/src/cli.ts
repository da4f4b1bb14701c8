#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { nextStopSignal } from '@prompt-cache/http-kit';
import { describeListenError } from './listen-error.js';
import { createBedrockSimulator } from './simulator.js';

const USAGE =
  'Usage: bedrock-simulator [--port 8788] [--host 127.0.0.1] [--latency-first-token-ms N] [--latency-per-token-ms N]';

const HELP = `${USAGE}

A local Amazon Bedrock Runtime simulator (HTTP/2 and HTTP/1.1 on one port).
Every answer is simulated: its text starts with "[simulated] ".

Options:
  --port N                    port to listen on; 0 picks a free port (default 8788)
  --host HOST                 interface to bind (default 127.0.0.1)
  --latency-first-token-ms N  time to first token in ms (default 500)
  --latency-per-token-ms N    time per output token in ms (default 10)
  -h, --help                  show this help`;

class UsageError extends Error {}

function readNumber(
  value: string | undefined,
  flag: string,
  maximum = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isInteger(parsed) || parsed < 0 || parsed > maximum) {
    throw new UsageError(`--${flag} must be a whole number between 0 and ${maximum}, got "${value}"`);
  }
  return parsed;
}

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'latency-first-token-ms': { type: 'string' },
  'latency-per-token-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface CliFlags {
  help: boolean;
  port: number;
  host: string;
  firstTokenMs: number | undefined;
  perTokenMs: number | undefined;
}

function parseFlags(argv: string[]): CliFlags {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    help: values.help === true,
    port: readNumber(values.port, 'port', 65_535) ?? 8788,
    host: values.host ?? '127.0.0.1',
    firstTokenMs: readNumber(values['latency-first-token-ms'], 'latency-first-token-ms'),
    perTokenMs: readNumber(values['latency-per-token-ms'], 'latency-per-token-ms'),
  };
}

async function main(): Promise<void> {
  let flags: CliFlags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bedrock-simulator: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }

  const simulator = createBedrockSimulator({
    latency: {
      ...(flags.firstTokenMs !== undefined ? { firstTokenMs: flags.firstTokenMs } : {}),
      ...(flags.perTokenMs !== undefined ? { perTokenMs: flags.perTokenMs } : {}),
    },
  });
  let url: string;
  try {
    ({ url } = await simulator.listen({ port: flags.port, host: flags.host }));
  } catch (error) {
    process.stderr.write(`bedrock-simulator: ${describeListenError(error, flags.host, flags.port)}\n`);
    process.exitCode = 1;
    return;
  }

  // Handlers first: whoever reads "Press Ctrl+C to stop." may signal at once.
  const stopSignal = nextStopSignal();
  process.stdout.write(
    `bedrock-simulator listening on ${url}\n` +
      'Answers are SIMULATED (each starts with "[simulated] "); no request reaches AWS.\n' +
      `Point a client at it: new BedrockRuntimeClient({ endpoint: '${url}', region: 'us-east-1', ` +
      "credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })\n" +
      'Press Ctrl+C to stop.\n',
  );
  const signal = await stopSignal;
  simulator.close().then(
    () => {
      process.stdout.write(`bedrock-simulator stopped (${signal})\n`);
      process.exit(0);
    },
    () => process.exit(1),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bedrock-simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
