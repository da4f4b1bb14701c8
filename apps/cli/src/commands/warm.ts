import { readFile } from 'node:fs/promises';
import { parseWarmFile, type WarmSummary, warmCache } from '@prompt-cache/app-kit';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { settingsFrom, storeLabel } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import {
  jsonOption,
  modelOptions,
  type SharedFlags,
  storeOptions,
  ttlOption,
} from '../options/shared-options.js';
import { formatUsd, oneLine } from '../output/format.js';
import { plural } from '../output/tables.js';
import { colors, interactiveOutput, say } from '../output/terminal.js';
import { openCliSession } from '../session.js';

interface WarmFlags extends SharedFlags {
  concurrency: string;
  json?: boolean;
}

/** The largest warm file read: 10 MiB. */
const MAX_WARM_FILE_BYTES = 10 * 1024 * 1024;

export function registerWarm(program: Command): void {
  const command = program
    .command('warm')
    .argument('<file>', 'a JSON Lines file: one prompt or request per line')
    .description('pre-populate the cache from a file of prompts, so the first real users get hits')
    .addHelpText(
      'after',
      `
Each line is one of:
  "What is a TTL?"                                   a JSON string
  {"prompt": "What is a TTL?", "model": "..."}       model optional
  {"modelId": "...", "messages": [...]}              a full Converse input
  What is a TTL?                                     plain text (a line not starting with {, [ or ")
Blank lines and lines starting with # are skipped. Lines already cached cost nothing.
Exits with 1 when any line failed (each is listed with its line number).

Examples:
  $ prompt-cache warm prompts.jsonl
  $ prompt-cache warm prompts.jsonl --concurrency 8 --ttl 1d
  $ prompt-cache warm prompts.jsonl --cache-type redis --json`,
    );
  for (const option of [...modelOptions(), ...storeOptions()]) command.addOption(option);
  command
    .addOption(ttlOption())
    .addOption(new Option('--concurrency <n>', 'model calls at once').default('4'))
    .addOption(jsonOption())
    .action(async (file: string, flags: WarmFlags) => {
      const settings = settingsFrom(flags);
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
        throw new UsageError(
          `--concurrency must be a whole number from 1 to 64; got ${JSON.stringify(flags.concurrency)}`,
        );
      }
      const text = await readWarmFile(file);
      const lines = parseWarmFile(text, settings.model);
      if (lines.length === 0)
        throw new UsageError(`${file} has no prompts (every line is blank or a # comment)`);

      const invalid = lines.filter((line) => 'error' in line).length;
      const what = `${plural(lines.length - invalid, 'prompt')}${invalid ? ` and ${plural(invalid, 'invalid line')}` : ''}`;
      const session = await openCliSession(settings, { debug: flags.debug === true });
      let summary: WarmSummary;
      const bar = !flags.json && interactiveOutput() ? createBar() : undefined;
      try {
        if (!flags.json) {
          say(
            `Warming the ${storeLabel(session.storeDescription)} with ${what} (${concurrency} at a time)...`,
          );
        }
        bar?.start(lines.length, 0, { outcome: '' });
        summary = await warmCache(session, lines, {
          concurrency,
          onResult: (result, done) =>
            bar?.update(done, { outcome: `line ${result.line}: ${result.outcome}` }),
        });
      } finally {
        bar?.stop();
        await session.close();
      }
      if (flags.json) {
        say(
          JSON.stringify({
            total: summary.total,
            warmed: summary.warmed,
            alreadyCached: summary.cached,
            failed: summary.failed.map(({ line, error }) => ({ line, error })),
            spentUsd: Math.round(summary.spentUsd * 1e12) / 1e12,
          }),
        );
      } else {
        say(
          `${colors.green(`warmed ${summary.warmed}`)}, ${colors.cyan(`already cached ${summary.cached}`)}, ` +
            `${summary.failed.length ? colors.red(`failed ${summary.failed.length}`) : 'failed 0'} ` +
            `(of ${what}; spent ${formatUsd(summary.spentUsd)})`,
        );
        for (const failure of summary.failed)
          say(colors.red(`  line ${failure.line}: ${oneLine(failure.error ?? 'failed', 160)}`));
      }
      if (summary.failed.length > 0) {
        throw new CliError(
          `${summary.failed.length} of ${summary.total} lines failed (${flags.json ? 'see "failed" in the JSON' : 'listed above'})`,
        );
      }
    });
}

async function readWarmFile(file: string): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    if (Buffer.byteLength(text) > MAX_WARM_FILE_BYTES) {
      throw new UsageError(`${file} is larger than 10 MiB; split it into smaller files`);
    }
    return text;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read ${file} (${code}); give a JSON Lines file with one prompt per line`);
  }
}

function createBar(): SingleBar {
  return new SingleBar(
    {
      format: ' {bar} {value}/{total} {outcome}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    { barCompleteChar: '█', barIncompleteChar: '░', format: '' },
  );
}
