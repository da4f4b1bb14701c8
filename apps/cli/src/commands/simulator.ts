import { describeListenError, parseMilliseconds, startLocalSimulator } from '@prompt-cache/app-kit';
import { type Command, Option } from 'commander';
import { CliError, UsageError } from '../errors.js';
import { colors, say } from '../output/terminal.js';
import { runUntilStopped } from '../stop-signal.js';

interface SimulatorFlags {
  port: string;
  host: string;
  latency?: string;
}

export function registerSimulator(program: Command): void {
  program
    .command('simulator')
    .description('start the local Bedrock simulator (Converse, ConverseStream, InvokeModel) until Ctrl+C')
    .addOption(new Option('--port <port>', 'port to listen on; 0 picks a free port').default('8788'))
    .addOption(new Option('--host <host>', 'interface to bind').default('127.0.0.1'))
    .addOption(
      new Option(
        '--latency <ms>',
        'time to first token in ms; 0 answers at once (default: about 1-3 s per answer; env PROMPT_CACHE_SIMULATOR_LATENCY_MS)',
      ),
    )
    .addHelpText(
      'after',
      `
Every answer is simulated (its text starts with "[simulated] "); nothing reaches AWS.

Examples:
  $ prompt-cache simulator
  $ prompt-cache simulator --port 0 --latency 0
  $ curl http://127.0.0.1:8788/_simulator/health`,
    )
    .action(async (flags: SimulatorFlags) => {
      const port = Number(flags.port);
      if (flags.port.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new UsageError(
          `--port must be a whole number from 0 to 65535; got ${JSON.stringify(flags.port)}`,
        );
      }
      const latencyText = flags.latency ?? process.env.PROMPT_CACHE_SIMULATOR_LATENCY_MS;
      const latencyMs =
        latencyText === undefined || latencyText === ''
          ? undefined
          : parseMilliseconds(
              latencyText,
              flags.latency === undefined ? 'PROMPT_CACHE_SIMULATOR_LATENCY_MS' : '--latency',
            );
      let simulator: Awaited<ReturnType<typeof startLocalSimulator>>;
      try {
        simulator = await startLocalSimulator({
          port,
          host: flags.host,
          ...(latencyMs === undefined ? {} : { latencyMs }),
        });
      } catch (error) {
        throw new CliError(describeListenError(error, flags.host, port), { cause: error });
      }
      say(`${colors.bold('Bedrock simulator')} listening on ${colors.cyan(simulator.url)}`);
      say('Answers are SIMULATED (each starts with "[simulated] "); no request reaches AWS.');
      say(
        colors.dim(
          `Point a client at it: new BedrockRuntimeClient({ endpoint: '${simulator.url}', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })`,
        ),
      );
      await runUntilStopped('Simulator', () => simulator.close());
    });
}
