import { readStoreStats } from '@prompt-cache/app-kit';
import type { StatsSnapshot } from '@prompt-cache/core';
import { savingsOf } from '@prompt-cache/pricing';
import { settingsFrom } from '../context.js';
import {
  formatMs,
  formatPercent,
  formatSpeedup,
  formatTtlSetting,
  formatUsd,
  shortKey,
} from '../output/format.js';
import { nextCommands } from '../output/invocation.js';
import {
  answerLine,
  costOfMiss,
  explain,
  heading,
  labelled,
  runningTotal,
  setupLines,
  statusWord,
} from '../output/narration.js';
import { createStepper } from '../output/prompts.js';
import { statsTable } from '../output/tables.js';
import { colors, say, withSpinner } from '../output/terminal.js';
import { openCliSession } from '../session.js';
import { DEMO_NAMESPACE, type DemoFlags } from './demo-options.js';

/** Six questions, three of them repeats of an earlier one. */
export const DEMO_QUESTIONS = [
  'What is machine learning?',
  'Explain prompt caching in one paragraph.',
  'What is machine learning?',
  'How does a TTL keep cached answers fresh?',
  'Explain prompt caching in one paragraph.',
  'What is machine learning?',
];

/** The default demo: six questions, one step at a time, each explained. */
export async function runLearningDemo(flags: DemoFlags): Promise<void> {
  const settings = settingsFrom(flags, { cacheType: 'memory', namespace: DEMO_NAMESPACE });
  const stepper = createStepper(flags.yes === true);
  const session = await openCliSession(settings, { debug: flags.debug === true });
  try {
    say(colors.bold('prompt-cache demo: how a prompt cache works'));
    explain(
      `${DEMO_QUESTIONS.length} questions go to the model; ${DEMO_QUESTIONS.length - new Set(DEMO_QUESTIONS).size} of them repeat an earlier one.`,
      0,
    );
    say();
    setupLines(session);
    say();
    explain('How it works: every request becomes a key, the SHA-256 hash of its canonical JSON (model,', 0);
    explain('parameters and messages). The same request always gives the same key.', 0);
    explain(
      `  ${colors.yellow('MISS')}: the key is not in the cache, so the model answers and the answer is stored.`,
      0,
    );
    explain(
      `  ${colors.green('HIT')}:  the key is in the cache, so the stored answer comes back without a model call.`,
      0,
    );

    // A persistent cache may hold answers from an earlier run; remove them so the lesson starts cold.
    let removed = 0;
    for (const question of new Set(DEMO_QUESTIONS)) if (await session.invalidate(question)) removed++;
    if (removed)
      explain(
        colors.dim(
          `(removed ${removed} answers left by an earlier run, so the demo starts with an empty cache)`,
        ),
        0,
      );

    const firstAskedAt = new Map<string, number>();
    for (const [index, question] of DEMO_QUESTIONS.entries()) {
      const step = index + 1;
      await stepper.next(`Press Enter to ask question ${step}`);
      heading(`Question ${step} of ${DEMO_QUESTIONS.length}`);
      say(`  ${colors.bold(`"${question}"`)}`);
      const key = session.keyFor(question);
      const seenAt = firstAskedAt.get(key);
      labelled(
        'key',
        `${shortKey(key, 16)}  ${colors.dim(seenAt ? `the same key as question ${seenAt}` : 'SHA-256 of model + messages')}`,
      );
      const result = await withSpinner('asking the model', () => session.ask(question));
      if (result.status === 'hit') {
        labelled(
          statusWord(result),
          seenAt
            ? `question ${seenAt} stored an answer under this key, so the model was not called`
            : 'this key was already in the cache, so the model was not called',
        );
        labelled(
          '',
          `answered in ${formatMs(result.latencyMs)} instead of ${formatMs(result.originalLatencyMs)} (${formatSpeedup(result.originalLatencyMs, result.latencyMs)} faster), no tokens billed`,
        );
        labelled('', colors.green(`saved ${formatMs(result.savedMs)} and ${formatUsd(result.savedUsd)}`));
      } else {
        labelled(
          statusWord(result),
          'this key is not in the cache yet: the first time this exact request is seen',
        );
        labelled('', `the model answered in ${formatMs(result.latencyMs)} · ${costOfMiss(result)}`);
        labelled(
          '',
          result.stored
            ? `stored under the key for ${formatTtlSetting(settings.ttlSeconds)}`
            : colors.red(`not stored: ${result.notStoredReason}`),
        );
      }
      firstAskedAt.set(key, seenAt ?? step);
      answerLine(result);
      runningTotal(session);
    }

    await stepper.next('Press Enter for the statistics');
    heading('Statistics');
    const stats = await readStoreStats(session.store, session.controller.stats);
    say(statsTable(stats));
    summarize(session.localStats(), settings.model);
    say();
    explain(colors.dim(nextCommands(['demo --quick', 'demo --advanced', 'test-expiration', 'ask "..."'])), 0);
  } finally {
    await session.close();
  }
}

/** The statistics in words, with the course's projection to 1,000 calls. */
export function summarize(stats: StatsSnapshot, model: string): void {
  const lookups = stats.hits + stats.misses;
  say(colors.bold('\nWhat it means'));
  explain(
    `${stats.hits} of ${lookups} questions came from the cache: a ${formatPercent(stats.hitRate)} hit rate.`,
  );
  const hitP50 = stats.latency.hit.p50;
  const missP50 = stats.latency.miss.p50;
  if (hitP50 !== null && missP50 !== null) {
    explain(
      `Hits took ${formatMs(hitP50)} (p50), misses ${formatMs(missP50)}: about ${formatSpeedup(missP50, hitP50)} faster.`,
    );
  }
  if (stats.misses > 0 && stats.spentUsd > 0) {
    const perCall = stats.spentUsd / stats.misses;
    explain(
      `You paid for ${stats.misses} calls (${formatUsd(stats.spentUsd)}) instead of ${lookups} (${formatUsd(perCall * lookups)}).`,
    );
    const projection = savingsOf({ costPerCallUsd: perCall, calls: 1000, hitRate: stats.hitRate });
    explain(
      `At 1,000 such calls with this hit rate: ${formatUsd(projection.withCacheUsd)} instead of ${formatUsd(projection.withoutCacheUsd)}, ${formatUsd(projection.savedUsd)} saved.`,
    );
    explain(
      colors.dim(
        `(Bedrock prices are per 1M tokens, so one ${model} call costs a fraction of a cent; it adds up with volume.)`,
      ),
    );
  } else if (stats.misses > 0) {
    explain('The model has no known price, so the money saved is unknown; the time saved is real.');
  }
}
