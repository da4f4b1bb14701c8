import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { registerAsk } from './commands/ask.js';
import { registerClear } from './commands/clear.js';
import { registerDemo } from './commands/demo.js';
import { registerInspect } from './commands/inspect.js';
import { registerKeys } from './commands/keys.js';
import { registerPrune } from './commands/prune.js';
import { registerRedisDemo } from './commands/redis-demo.js';
import { registerSemanticEval } from './commands/semantic-eval.js';
import { registerServe } from './commands/serve.js';
import { registerSimulator } from './commands/simulator.js';
import { registerStats } from './commands/stats.js';
import { registerTestExpiration } from './commands/test-expiration.js';
import { registerWarm } from './commands/warm.js';
import { EXIT_INTERRUPTED, EXIT_USAGE, errorLine, exitCodeOf } from './errors.js';
import { errorColors, notice, saidAnything, say } from './output/terminal.js';

/** The whole command line: every command, with `--help`, `--version` and `--debug`. */
export function createProgram(): Command {
  const program = new Command('prompt-cache')
    .description(
      'Cache LLM calls to Amazon Bedrock and see what it saves: the course demos, ask, stats and cache management.\n' +
        'Without AWS credentials every answer comes from a local Bedrock simulator, and says so.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .option('--debug', 'print stack traces with errors (or set PROMPT_CACHE_DEBUG=1)')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .addHelpText(
      'after',
      `
Examples:
  $ prompt-cache demo                       the learning demo: 6 questions, 3 repeats
  $ prompt-cache demo --quick               one question asked twice, side by side
  $ prompt-cache ask "What is a TTL?"       ask once; ask again and it comes from the cache
  $ prompt-cache stats                      what the cache saved so far
  $ prompt-cache <command> --help           every command's flags and examples

Environment: PROMPT_CACHE_CACHE_TYPE, PROMPT_CACHE_DIR, PROMPT_CACHE_REDIS_URL, PROMPT_CACHE_TTL,
PROMPT_CACHE_NAMESPACE, PROMPT_CACHE_PROVIDER, PROMPT_CACHE_REGION, PROMPT_CACHE_MODEL,
PROMPT_CACHE_SIMULATOR_LATENCY_MS, PROMPT_CACHE_DEBUG, NO_COLOR. A flag wins over its variable.
Exit codes: 0 success, 1 failure, 2 usage error.`,
    );
  registerDemo(program);
  registerAsk(program);
  registerTestExpiration(program);
  registerRedisDemo(program);
  registerStats(program);
  registerKeys(program);
  registerInspect(program);
  registerClear(program);
  registerPrune(program);
  registerWarm(program);
  registerSimulator(program);
  registerServe(program);
  registerSemanticEval(program);
  return program;
}

/** Runs the command line and returns the exit code. Errors are reported as one line on standard error. */
export async function run(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug') || /^(1|true|yes)$/i.test(process.env.PROMPT_CACHE_DEBUG ?? '');
  reportWarnings(debug);
  try {
    await createProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      // No command: commander has printed the help already.
      if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync')
        return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if ((error as { name?: string })?.name === 'AbortError') {
      notice('prompt-cache: stopped (Ctrl+C)');
      return EXIT_INTERRUPTED;
    }
    const line = errorLine(error);
    notice(errorColors.red(`prompt-cache: ${line}`));
    // A program reading --json output gets one JSON object on standard output: the error, when the command
    // failed before printing its own.
    if (argv.includes('--json') && !(error instanceof CommanderError) && !saidAnything()) {
      say(JSON.stringify({ error: line }));
    }
    if (debug && error instanceof Error && error.stack) notice(errorColors.dim(error.stack));
    return exitCodeOf(error);
  }
}

/** Node prints each process warning on several lines; this keeps them to one (all of it with --debug). */
function reportWarnings(debug: boolean): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (!debug && warning.name === 'ExperimentalWarning') return;
    notice(errorColors.yellow(`prompt-cache: warning: ${warning.message.replace(/\s+/g, ' ').trim()}`));
    if (debug && warning.stack) notice(errorColors.dim(warning.stack));
  });
}
