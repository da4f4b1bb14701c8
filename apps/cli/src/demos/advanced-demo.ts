import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AskResult,
  type ConverseInput,
  clearEntries,
  inspectEntry,
  listEntries,
  pruneEntries,
} from '@prompt-cache/app-kit';
import { settingsFrom, storeLabel } from '../context.js';
import { formatMs, formatSpeedup, formatTime, formatTtlLeft, formatUsd, shortKey } from '../output/format.js';
import { nextCommands } from '../output/invocation.js';
import {
  answerLine,
  costOfMiss,
  explain,
  heading,
  labelled,
  setupLines,
  statusWord,
} from '../output/narration.js';
import { createStepper, sleep } from '../output/prompts.js';
import { createTable, entriesTable, statsTable } from '../output/tables.js';
import { colors, say, withSpinner } from '../output/terminal.js';
import { openCliSession } from '../session.js';
import { DEMO_NAMESPACE, type DemoFlags } from './demo-options.js';

const QUESTIONS = [
  'What is machine learning?',
  'Explain prompt caching in one paragraph.',
  'How does a TTL keep cached answers fresh?',
];
const PARTS = 6;

/**
 * `demo --advanced`: a persistent (file) cache end to end — restarts, key design, per-call controls, TTL and
 * pruning, inspecting an entry, detailed statistics, and clearing.
 */
export async function runAdvancedDemo(flags: DemoFlags): Promise<void> {
  const settings = settingsFrom(flags, { cacheType: 'file', namespace: DEMO_NAMESPACE });
  const temporary = settings.cacheType === 'file' && flags.cacheDir === undefined;
  if (temporary) settings.cacheDir = mkdtempSync(join(tmpdir(), 'prompt-cache-demo-'));
  const stepper = createStepper(flags.yes === true);
  const debug = flags.debug === true;
  let session = await openCliSession(settings, { debug });
  try {
    say(colors.bold('prompt-cache demo --advanced: a tour of a persistent cache'));
    say();
    setupLines(
      session,
      temporary ? [['note', 'a temporary directory, removed at the end (--cache-dir keeps one)']] : [],
    );
    for (const question of QUESTIONS) await session.invalidate(question);

    // Part 1: persistence.
    await stepper.next('Press Enter for part 1');
    heading(`Part 1 of ${PARTS}: answers that survive a restart`);
    explain(
      `A ${settings.cacheType} cache keeps its entries outside the process. Three questions, one of them twice:`,
    );
    const firstRound = [QUESTIONS[0]!, QUESTIONS[1]!, QUESTIONS[0]!];
    const rows: Array<[string, AskResult]> = [];
    for (const question of firstRound)
      rows.push([question, await withSpinner('asking', () => session.ask(question))]);
    say(resultsTable(rows));
    answerLine(rows[0]![1], 100);
    explain('Now a restart: this process closes the cache (flushing its statistics) and opens a new one on');
    explain(
      `the same ${settings.cacheType === 'redis' ? 'server' : 'directory'}, as a new run of your app would.`,
    );
    await session.close();
    session = await openCliSession(settings, { debug, quiet: true });
    const afterRestart = await withSpinner('asking', () => session.ask(QUESTIONS[1]!));
    say(resultsTable([[QUESTIONS[1]!, afterRestart]]));
    explain(
      afterRestart.cached
        ? colors.green(
            `The new cache had never seen this question, yet it was a hit: the answer was read from the ${storeLabel(session.storeDescription)}.`,
          )
        : colors.yellow(
            'A memory cache forgets everything on restart, so this was a miss. Try --cache-type file.',
          ),
    );

    // Part 2: key design.
    await stepper.next('Press Enter for part 2');
    heading(`Part 2 of ${PARTS}: what makes two requests "the same"`);
    explain('The key hashes only what can change the answer. Variations of the first question:');
    const base = session.inputOf(QUESTIONS[0]!);
    const variants: Array<[string, ConverseInput, string]> = [
      ['the original request', base, 'asked in part 1'],
      [
        '+ requestMetadata (labels for logs and billing)',
        { ...base, requestMetadata: { team: 'docs' } },
        'left out of the key: it cannot change the answer',
      ],
      [
        '+ temperature 0.2',
        { ...base, inferenceConfig: { temperature: 0.2 } },
        'a parameter can change the answer, so it is keyed',
      ],
      [
        'lower case, extra spaces',
        session.inputOf('  what is machine learning?  '),
        'exact text is keyed (normalization is off by default)',
      ],
    ];
    const variantTable = createTable(['request', 'key', 'result', 'why']);
    for (const [label, input, why] of variants) {
      const result = await withSpinner('asking', () => session.ask(input));
      variantTable.push([label, shortKey(result.key, 8), statusWord(result), why]);
    }
    say(variantTable.toString());
    explain('The canonical text behind the original key (what SHA-256 hashes):');
    say(colors.dim(`  ${session.explain(base).material}`));

    // Part 3: per-call controls.
    await stepper.next('Press Enter for part 3');
    heading(`Part 3 of ${PARTS}: per-call controls: refresh and bypass`);
    const refreshed = await withSpinner('asking', () => session.ask(QUESTIONS[0]!, { mode: 'refresh' }));
    labelled(
      'refresh',
      `${statusWord(refreshed)} the cached answer was skipped, the model was called (${formatMs(refreshed.latencyMs)}), and the fresh answer ${refreshed.stored ? 'replaced the stored one' : 'was not stored'}`,
      9,
    );
    explain(
      colors.dim('           use it when you know an answer went stale: prompt-cache ask "..." --refresh'),
    );
    const bypassed = await withSpinner('asking', () => session.ask(QUESTIONS[0]!, { mode: 'bypass' }));
    labelled(
      'bypass',
      `${statusWord(bypassed)} the cache was neither read nor written (${formatMs(bypassed.latencyMs)}, ${costOfMiss(bypassed)})`,
      9,
    );
    explain(
      colors.dim(
        '           use it for answers that must never be reused: prompt-cache ask "..." --no-cache',
      ),
    );

    // Part 4: TTL and pruning.
    await stepper.next('Press Enter for part 4');
    heading(`Part 4 of ${PARTS}: TTL, keys and prune`);
    const shortLived = await withSpinner('asking', () => session.ask(QUESTIONS[2]!, { ttlSeconds: 1 }));
    explain(
      `"${QUESTIONS[2]}" was stored with a TTL of 1 second (${statusWord(shortLived)}). Waiting for it to expire...`,
    );
    await sleep(1200);
    const listed = await listEntries(session.store, { prefix: `${settings.namespace}:` });
    explain(
      `prompt-cache keys: the live entries (the expired one is no longer listed, and would read as a miss):`,
    );
    if (listed) say(entriesTable(listed.entries));
    const pruned = await pruneEntries(session.store);
    explain(
      pruned === undefined
        ? 'prompt-cache prune: this store expires entries itself, so there is nothing to prune.'
        : `prompt-cache prune: removed ${pruned} expired ${pruned === 1 ? 'entry' : 'entries'} from disk (expired entries are never served; pruning frees the space).`,
    );

    // Part 5: inspect.
    await stepper.next('Press Enter for part 5');
    heading(`Part 5 of ${PARTS}: inspect one entry`);
    const key = session.keyFor(QUESTIONS[1]!);
    const details = await inspectEntry(session.store, key);
    explain(`prompt-cache inspect --prompt "${QUESTIONS[1]}"`);
    labelled('key', key, 10);
    if (details) {
      labelled('created', formatTime(details.createdAt), 10);
      labelled('TTL', formatTtlLeft(details.ttlLeftSeconds), 10);
      labelled(
        'model',
        `${details.model ?? '-'} (${details.provider === 'simulator' ? 'simulated answer' : (details.provider ?? '-')})`,
        10,
      );
      labelled('cost', `${formatUsd(details.costUsd)} per call, saved again by every hit`, 10);
      labelled('latency', `${formatMs(details.latencyMs)} per call, saved again by every hit`, 10);
      labelled('size', `${details.bytes} bytes`, 10);
    }

    // Part 6: statistics and clean-up.
    await stepper.next('Press Enter for part 6');
    heading(`Part 6 of ${PARTS}: detailed statistics, then clear`);
    const shared = await session.sharedStats();
    const size = session.store.size ? await session.store.size() : undefined;
    explain(
      session.store.stats
        ? `Statistics kept by the ${settings.cacheType} cache itself: both "processes" of this demo (and any other) add up.`
        : 'Statistics of this process (a memory cache keeps none of its own):',
    );
    say(statsTable({ snapshot: shared, scope: session.store.stats ? 'persisted' : 'process', size }));
    if (shared.latency.hit.p50 !== null && shared.latency.miss.p50 !== null) {
      explain(
        `A hit (p50 ${formatMs(shared.latency.hit.p50)}) was ${formatSpeedup(shared.latency.miss.p50, shared.latency.hit.p50)} faster than a miss (p50 ${formatMs(shared.latency.miss.p50)}).`,
      );
    }
    const cleared = await clearEntries(session.store, `${settings.namespace}:`);
    explain(
      `prompt-cache clear --namespace ${settings.namespace} --yes: removed ${cleared} ${cleared === 1 ? 'entry' : 'entries'}.`,
    );
    say();
    explain(colors.dim(nextCommands(['test-expiration', 'redis-demo', 'warm prompts.jsonl'])), 0);
  } finally {
    await session.close();
    if (temporary && settings.cacheDir) rmSync(settings.cacheDir, { recursive: true, force: true });
  }
}

function resultsTable(rows: Array<[string, AskResult]>) {
  const table = createTable(['question', 'result', 'time', 'cost / saved']);
  for (const [question, result] of rows) {
    table.push([
      question,
      statusWord(result),
      formatMs(result.latencyMs),
      result.cached
        ? colors.green(`saved ${formatUsd(result.savedUsd)}`)
        : `cost ${formatUsd(result.costUsd)}`,
    ]);
  }
  return table.toString();
}
