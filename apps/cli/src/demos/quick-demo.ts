import { settingsFrom } from '../context.js';
import { formatMs, formatSpeedup, formatUsd, shortKey } from '../output/format.js';
import { nextCommands } from '../output/invocation.js';
import { answerLine, explain, setupLines } from '../output/narration.js';
import { createTable } from '../output/tables.js';
import { colors, say, withSpinner } from '../output/terminal.js';
import { openCliSession } from '../session.js';
import { DEMO_NAMESPACE, type DemoFlags } from './demo-options.js';

const QUESTION = 'What is machine learning?';

/** `demo --quick`: one question asked twice, and the two calls side by side. */
export async function runQuickDemo(flags: DemoFlags): Promise<void> {
  const settings = settingsFrom(flags, { cacheType: 'memory', namespace: DEMO_NAMESPACE });
  const session = await openCliSession(settings, { debug: flags.debug === true });
  try {
    say(colors.bold('prompt-cache demo --quick: one question, asked twice'));
    say();
    setupLines(session);
    say();
    say(`  ${colors.bold(`"${QUESTION}"`)}`);
    await session.invalidate(QUESTION); // a persistent cache may hold it from an earlier run
    const first = await withSpinner('first call: asking the model', () => session.ask(QUESTION));
    const second = await withSpinner('second call', () => session.ask(QUESTION));

    const table = createTable(['', 'first call', 'second call']);
    const tokens = first.usage ? `${first.usage.inputTokens} in + ${first.usage.outputTokens} out` : '-';
    table.push(
      [
        'cache',
        colors.yellow(first.status.toUpperCase()),
        second.status === 'hit' ? colors.green('HIT') : colors.yellow(second.status.toUpperCase()),
      ],
      ['model called', 'yes', second.cached ? 'no' : 'yes'],
      ['time', formatMs(first.latencyMs), formatMs(second.latencyMs)],
      ['tokens billed', tokens, second.cached ? '0' : tokens],
      ['cost', formatUsd(first.costUsd), formatUsd(second.costUsd)],
      ['key', shortKey(first.key), `${shortKey(second.key)}${first.key === second.key ? ' (same)' : ''}`],
    );
    say(table.toString());
    if (second.cached) {
      explain(
        `Same request, same key, so the second call came from the cache: ${formatSpeedup(first.latencyMs, second.latencyMs)} faster, ` +
          `saved ${formatMs(second.savedMs)} and ${formatUsd(second.savedUsd)}.`,
      );
    } else {
      explain(
        colors.yellow(
          `The second call was not a hit (${second.notStoredReason ?? first.notStoredReason ?? 'the answer was not stored'}).`,
        ),
      );
    }
    answerLine(first);
    say();
    explain(colors.dim(nextCommands(['demo (step by step)', 'demo --advanced'])), 0);
  } finally {
    await session.close();
  }
}
