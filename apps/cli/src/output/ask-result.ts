import type { AskResult } from '@prompt-cache/app-kit';
import { formatMs, formatSpeedup, formatUsd, oneLine, shortKey } from './format.js';
import { errorColors } from './terminal.js';

/** Token counts in words: `12 in + 180 out tokens`. */
export function tokensOf(result: AskResult): string {
  if (!result.usage) return 'tokens not reported';
  const { inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens } = result.usage;
  const extra = [
    cacheReadInputTokens ? `${cacheReadInputTokens} cache-read` : '',
    cacheWriteInputTokens ? `${cacheWriteInputTokens} cache-write` : '',
  ].filter(Boolean);
  return `${inputTokens} in + ${outputTokens} out${extra.length ? ` + ${extra.join(' + ')}` : ''} tokens`;
}

/**
 * The status line of `ask` (standard error): hit, miss or bypass, the time, the tokens, the cost or what was
 * saved, who answered, and the key.
 */
export function describeResult(result: AskResult, options: { refresh?: boolean } = {}): string {
  const c = errorColors;
  const source = result.provider === 'simulator' ? c.magenta('simulated') : 'bedrock';
  const parts: string[] = [];
  if (result.status === 'hit') {
    parts.push(
      c.green(c.bold(result.cache === 'semantic-hit' ? 'SEMANTIC HIT' : 'HIT')),
      formatMs(result.latencyMs),
      `saved ${formatMs(result.savedMs)} and ${formatUsd(result.savedUsd)}`,
      `${formatSpeedup(result.originalLatencyMs, result.latencyMs)} faster`,
      `${source} answer from the cache`,
    );
    if (result.cache === 'semantic-hit') {
      parts.push(
        `similarity ${result.similarity?.toFixed(2)} to ${JSON.stringify(oneLine(result.matchedPrompt ?? '', 80))}`,
      );
    }
  } else {
    const label = result.status === 'bypass' ? 'NO CACHE' : options.refresh ? 'REFRESHED' : 'MISS';
    parts.push(
      c.yellow(c.bold(label)),
      formatMs(result.latencyMs),
      tokensOf(result),
      `cost ${formatUsd(result.costUsd)}`,
      source,
    );
    if (result.status === 'miss' && !result.stored) {
      parts.push(c.red(`not stored: ${result.notStoredReason ?? 'unknown reason'}`));
    }
  }
  parts.push(c.dim(`key ${shortKey(result.key)}`));
  return parts.join(c.dim(' · '));
}
