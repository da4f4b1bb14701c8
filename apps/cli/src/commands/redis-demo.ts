import { checkStore, createStoreFromOptions, listEntries } from '@prompt-cache/app-kit';
import type { Command } from 'commander';
import { settingsFrom } from '../context.js';
import { DEMO_NAMESPACE } from '../demos/demo-options.js';
import { CliError } from '../errors.js';
import {
  jsonOption,
  modelOptions,
  type SharedFlags,
  storeOptions,
  ttlOption,
} from '../options/shared-options.js';
import { formatMs, formatPercent, formatTime, formatUsd } from '../output/format.js';
import { answerLine, explain, heading, setupLines, statusWord } from '../output/narration.js';
import { createTable, statsTable } from '../output/tables.js';
import { colors, say, withSpinner } from '../output/terminal.js';
import { openCliSession } from '../session.js';

const QUESTIONS = [
  'What is Redis?',
  'Why share a cache between processes?',
  'What is Redis?',
  'How does a distributed lock prevent duplicate model calls?',
];

interface RedisDemoFlags extends SharedFlags {
  json?: boolean;
}

export function registerRedisDemo(program: Command): void {
  const command = program
    .command('redis-demo')
    .description('the production example: a cache and its statistics shared by every process through Redis')
    .addHelpText(
      'after',
      `
Run it twice, or in two terminals at the same time: the second run finds the first run's answers in Redis,
and the statistics (kept in Redis too) add up every run. Concurrent identical misses wait for one model
call (a lock in Redis). Needs a reachable Redis: start one with  redis-server --port 6380 --save ""
or  docker run -d -p 6379:6379 redis. Fails (exit 1) when Redis cannot be reached.

Examples:
  $ prompt-cache redis-demo
  $ prompt-cache redis-demo --redis-url redis://127.0.0.1:6380
  $ prompt-cache redis-demo --json`,
    );
  for (const option of [...modelOptions(), ...storeOptions()]) command.addOption(option);
  command
    .addOption(ttlOption())
    .addOption(jsonOption('print one JSON object: this run and the shared statistics'))
    .action(async (flags: RedisDemoFlags) => {
      const settings = settingsFrom({ ...flags, cacheType: 'redis' }, { namespace: DEMO_NAMESPACE });
      if (flags.cacheType !== undefined && flags.cacheType.toLowerCase() !== 'redis') {
        throw new CliError(`redis-demo always uses Redis; drop --cache-type ${flags.cacheType}`);
      }
      const store = createStoreFromOptions(settings);
      try {
        await checkStore(store);
      } catch (error) {
        await store.close?.();
        throw new CliError(
          `${(error as Error).message} redis-demo needs one: start it (redis-server, or docker run -d -p 6379:6379 redis) or pass --redis-url`,
          { cause: error },
        );
      }
      const process_ = `process ${process.pid}`;
      const before = await listEntries(store, { prefix: `${settings.namespace}:` });
      const session = await openCliSession(settings, { store, debug: flags.debug === true });
      try {
        if (!flags.json) {
          say(colors.bold(`prompt-cache redis-demo: one cache for every process (this is ${process_})`));
          say();
          setupLines(session);
          say();
          const count = before?.entries.length ?? 0;
          explain(
            count === 0
              ? 'Redis holds no answers of this namespace yet: this looks like the first run.'
              : `Redis already holds ${count} ${count === 1 ? 'answer' : 'answers'} of this namespace, written by earlier runs or other processes.`,
            0,
          );
          heading(`${QUESTIONS.length} questions`);
        }
        const table = createTable(['question', 'result', 'time', 'where the answer came from']);
        const run = { hits: 0, misses: 0, fromOtherProcesses: 0 };
        for (const question of QUESTIONS) {
          const result = await withSpinner('asking', () =>
            session.ask(question, { tags: [`pid:${process.pid}`] }),
          );
          let origin: string;
          if (result.cached) {
            run.hits++;
            const writer = result.tags?.find((tag) => tag.startsWith('pid:'))?.slice(4);
            const ours = writer === String(process.pid);
            if (!ours) run.fromOtherProcesses++;
            origin = ours
              ? 'Redis, stored earlier in this run'
              : colors.green(`Redis, stored by process ${writer ?? '?'}`);
          } else {
            run.misses++;
            origin = `the model (${formatUsd(result.costUsd)}), now stored in Redis`;
          }
          table.push([question, statusWord(result), formatMs(result.latencyMs), origin]);
          if (!flags.json && question === QUESTIONS[0] && !result.cached) answerLine(result);
        }
        const shared = await session.sharedStats();
        const size = await store.size?.();
        if (flags.json) {
          say(
            JSON.stringify({
              pid: process.pid,
              redisUrl: session.storeDescription.location,
              namespace: settings.namespace,
              run,
              shared: {
                hits: shared.hits,
                misses: shared.misses,
                hitRate: shared.hitRate,
                savedUsd: shared.savedUsd,
                savedMs: shared.savedMs,
                coalesced: shared.coalesced,
              },
              entries: size?.entries ?? null,
            }),
          );
          return;
        }
        say(table.toString());
        explain(
          `This run: ${run.hits} ${run.hits === 1 ? 'hit' : 'hits'} (${run.fromOtherProcesses} from other processes), ${run.misses} ${run.misses === 1 ? 'miss' : 'misses'}.`,
          0,
        );
        heading('Shared statistics (kept in Redis, every process and run)');
        say(statsTable({ snapshot: shared, scope: 'persisted', size }));
        const lookups = shared.hits + shared.misses;
        explain(
          `All runs together: ${lookups} lookups, ${shared.hits} ${shared.hits === 1 ? 'hit' : 'hits'} (${formatPercent(shared.hitRate)}), ${formatUsd(shared.savedUsd)} and ${formatMs(shared.savedMs)} saved.`,
          0,
        );
        say();
        explain(
          colors.dim(
            `Run it again, or in two terminals at once: the next run answers from Redis. (${formatTime(Date.now())})`,
          ),
          0,
        );
      } finally {
        await session.close();
      }
    });
}
