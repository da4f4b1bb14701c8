import { inspectEntry, parseTtlFlag } from '@prompt-cache/app-kit';
import type { Command } from 'commander';
import { settingsFrom } from '../context.js';
import { DEMO_NAMESPACE } from '../demos/demo-options.js';
import { UsageError } from '../errors.js';
import { modelOptions, type SharedFlags, storeOptions, ttlOption } from '../options/shared-options.js';
import { formatMs, formatSpeedup, formatTtlSetting, formatUsd } from '../output/format.js';
import {
  answerLine,
  costOfMiss,
  explain,
  heading,
  labelled,
  setupLines,
  statusWord,
} from '../output/narration.js';
import { countdown } from '../output/prompts.js';
import { colors, interactiveOutput, say, withSpinner } from '../output/terminal.js';
import { openCliSession } from '../session.js';

const QUESTION = 'What is the capital of France?';
/** Longest TTL this demo waits for. */
const MAX_TTL_SECONDS = 600;

export function registerTestExpiration(program: Command): void {
  const command = program
    .command('test-expiration')
    .description('watch an entry expire: a miss, a hit, a wait past the TTL, and a miss again')
    .addHelpText(
      'after',
      `
The TTL (time to live) bounds how stale a cached answer can get: after it, the entry reads as a miss and
the model is asked again. Uses a memory cache unless --cache-type says otherwise.

Examples:
  $ prompt-cache test-expiration
  $ prompt-cache test-expiration --ttl 2
  $ prompt-cache test-expiration --ttl 10 --cache-type file`,
    );
  for (const option of [...modelOptions(), ...storeOptions()]) command.addOption(option);
  command.addOption(ttlOption('5')).action(async (flags: SharedFlags) => {
    const ttlSeconds = flags.ttl === undefined ? 5 : parseTtlFlag(flags.ttl);
    if (ttlSeconds <= 0 || ttlSeconds > MAX_TTL_SECONDS) {
      throw new UsageError(
        `test-expiration needs a --ttl from above 0 to ${MAX_TTL_SECONDS} seconds; got ${flags.ttl}`,
      );
    }
    const settings = settingsFrom(
      { ...flags, ttl: String(ttlSeconds) },
      { cacheType: 'memory', namespace: DEMO_NAMESPACE },
    );
    const session = await openCliSession(settings, { debug: flags.debug === true });
    try {
      say(
        colors.bold(
          `prompt-cache test-expiration: watch an entry expire (TTL ${formatTtlSetting(ttlSeconds)})`,
        ),
      );
      say();
      setupLines(session, [['question', `"${QUESTION}"`]]);
      await session.invalidate(QUESTION);

      heading('1. First ask');
      const first = await withSpinner('asking the model', () => session.ask(QUESTION));
      labelled(
        statusWord(first),
        `nothing cached yet, so the model answered in ${formatMs(first.latencyMs)} · ${costOfMiss(first)}`,
      );
      const entry = await inspectEntry(session.store, first.key);
      labelled(
        '',
        entry?.expiresAt ? `stored; it expires in ${formatTtlSetting(ttlSeconds)}` : colors.red('not stored'),
      );
      answerLine(first);

      heading('2. Ask again at once');
      const second = await withSpinner('asking', () => session.ask(QUESTION));
      labelled(
        statusWord(second),
        `still fresh, answered from the cache in ${formatMs(second.latencyMs)} (${formatSpeedup(second.originalLatencyMs, second.latencyMs)} faster, saved ${formatUsd(second.savedUsd)})`,
      );

      heading('3. Wait past the TTL');
      const waitMs = Math.max(0, (entry?.expiresAt ?? Date.now() + ttlSeconds * 1000) - Date.now()) + 100;
      const interactive = interactiveOutput();
      if (!interactive) explain(`waiting ${formatMs(waitMs)} for the entry to expire...`);
      await countdown(waitMs / 1000, (left) => `  the entry expires in ${left} s...`, interactive);
      explain('the TTL has passed: the entry is stale now');

      heading('4. Ask once more');
      const third = await withSpinner('asking the model', () => session.ask(QUESTION));
      labelled(
        statusWord(third),
        third.cached
          ? colors.red('still a hit: the entry did not expire (is the clock right?)')
          : `the entry expired, so the model was asked again: ${formatMs(third.latencyMs)} · ${costOfMiss(third)}`,
      );
      labelled(
        '',
        third.stored
          ? `stored again for ${formatTtlSetting(ttlSeconds)}`
          : colors.red(`not stored: ${third.notStoredReason}`),
      );

      say();
      explain(colors.bold('Choosing a TTL'), 0);
      explain(
        'short (5-30 min): content that changes quickly · medium (1-6 h): general Q&A and explanations',
        0,
      );
      explain('long (12-24 h): static content, definitions · none (--ttl 0): answers that never change', 0);
    } finally {
      await session.close();
    }
  });
}
