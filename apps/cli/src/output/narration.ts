import { stripVTControlCharacters } from 'node:util';
import type { AppSession, AskResult } from '@prompt-cache/app-kit';
import { priceOf } from '@prompt-cache/pricing';
import { storeLabel } from '../context.js';
import { formatMs, formatTtlSetting, formatUsd, oneLine } from './format.js';
import { colors, say } from './terminal.js';

/** A section heading: `── Question 2 of 6 ─────`. */
export function heading(text: string): void {
  const rule = '─'.repeat(Math.max(3, 64 - text.length));
  say(`\n${colors.bold(colors.cyan(`── ${text} ${rule}`))}`);
}

/** An indented line of explanation. */
export function explain(text: string, indent = 2): void {
  say(`${' '.repeat(indent)}${text}`);
}

/** A label and its text, aligned: `  key    demo:v1:...`. */
export function labelled(label: string, text: string, width = 7): void {
  const visible = stripVTControlCharacters(label).length;
  say(`  ${colors.bold(label)}${' '.repeat(Math.max(1, width - visible))}${text}`);
}

/** Who answers, in words for the demos. */
export function providerLine(session: AppSession): string {
  if (session.provider === 'simulator') {
    return `the local Bedrock simulator (${colors.magenta('simulated answers')}, ${session.settings.simulatorLatencyMs === 0 ? 'no delay' : 'about 1-3 s each, like a real model'})`;
  }
  return `Amazon Bedrock in ${session.connection.region} (real calls, billed to your AWS account)`;
}

/** The demos' setup block: model, who answers, the cache and the prices. */
export function setupLines(session: AppSession, extra: Array<[string, string]> = []): void {
  const { settings } = session;
  const price = priceOf(settings.model);
  labelled('model', settings.model, 9);
  labelled('answers', providerLine(session), 9);
  labelled(
    'cache',
    `${storeLabel(session.storeDescription)}, TTL ${formatTtlSetting(settings.ttlSeconds)}, namespace ${settings.namespace}`,
    9,
  );
  labelled(
    'prices',
    price
      ? `$${price.input} input, $${price.output ?? 0} output per 1M tokens (${price.source}, ${price.asOf})`
      : 'unknown for this model: costs show as "unknown"',
    9,
  );
  for (const [label, text] of extra) labelled(label, text, 9);
}

/** The answer, shortened, labelled simulated when it is. */
export function answerLine(result: AskResult, width = 150): void {
  const labelled = result.text.startsWith('[simulated]');
  const label =
    result.provider === 'simulator' && !labelled ? `answer ${colors.magenta('(simulated)')}` : 'answer';
  say(`  ${colors.bold(label)} ${colors.dim(oneLine(result.text, width))}`);
}

/** `MISS` / `HIT` in colour. */
export function statusWord(result: AskResult): string {
  if (result.status === 'hit') return colors.green(colors.bold('HIT '));
  if (result.status === 'bypass') return colors.yellow(colors.bold('SKIP'));
  return colors.yellow(colors.bold('MISS'));
}

/** `3 in + 162 out tokens · cost $0.0000391`. */
export function costOfMiss(result: AskResult): string {
  const usage = result.usage
    ? `${result.usage.inputTokens} in + ${result.usage.outputTokens} out tokens`
    : 'tokens not reported';
  return `${usage} · cost ${formatUsd(result.costUsd)}`;
}

/** One running-total line: `so far: 1 hit, 2 misses · saved 1.4 s and $0.0000391`. */
export function runningTotal(session: AppSession): void {
  const stats = session.localStats();
  say(
    colors.dim(
      `  so far: ${stats.hits} ${stats.hits === 1 ? 'hit' : 'hits'}, ${stats.misses} ${stats.misses === 1 ? 'miss' : 'misses'} · ` +
        `saved ${formatMs(stats.savedMs)} and ${formatUsd(stats.savedUsd)}`,
    ),
  );
}
