import type { AppSession } from './app-session.js';
import type { WarmLine } from './converse-input.js';

/** Options of {@link warmCache}. */
export interface WarmOptions {
  /** How many model calls run at once. Default `4`. */
  concurrency?: number;
  /** TTL of the warmed entries in seconds; `0` = no expiry. Default: the session's TTL. */
  ttlSeconds?: number;
  /** Called after each line, in completion order. Default: nothing. */
  onResult?: (result: WarmItemResult, done: number, total: number) => void;
}

/** What happened to one line. */
export interface WarmItemResult {
  line: number;
  /** The prompt (the last user message), for display; `''` for a line that could not be parsed. */
  prompt: string;
  /** `warmed`: the model answered and the answer is stored; `cached`: it was already there; `failed`: see `error`. */
  outcome: 'warmed' | 'cached' | 'failed';
  /** Why the line failed, in one line. */
  error?: string;
  key?: string;
  /** What the call cost (`null` = unknown price); only for `warmed`. */
  costUsd?: number | null;
}

/** The summary of a warm run. */
export interface WarmSummary {
  total: number;
  warmed: number;
  cached: number;
  failed: WarmItemResult[];
  /** USD spent on the model calls (unknown prices count as 0). */
  spentUsd: number;
  /** Every line's result, in file order. */
  results: WarmItemResult[];
}

/**
 * Pre-populates the cache: asks every parsed line through the session (at most `concurrency` at a time).
 * Lines already cached cost nothing. A line that fails (bad JSON, a model error, an answer that may not be
 * cached, a store that cannot be written) is reported with its line number; the others go on.
 */
export async function warmCache(
  session: AppSession,
  lines: readonly WarmLine[],
  options: WarmOptions = {},
): Promise<WarmSummary> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const results: WarmItemResult[] = new Array(lines.length);
  let next = 0;
  let done = 0;

  const runOne = async (item: WarmLine): Promise<WarmItemResult> => {
    if ('error' in item) return { line: item.line, prompt: '', outcome: 'failed', error: item.error };
    try {
      const result = await session.ask(item.input, {
        ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
      });
      if (result.cached) return { line: item.line, prompt: item.prompt, outcome: 'cached', key: result.key };
      if (!result.stored) {
        return {
          line: item.line,
          prompt: item.prompt,
          outcome: 'failed',
          key: result.key,
          costUsd: result.costUsd,
          error: `answered but not stored (${result.notStoredReason ?? 'unknown reason'})`,
        };
      }
      return {
        line: item.line,
        prompt: item.prompt,
        outcome: 'warmed',
        key: result.key,
        costUsd: result.costUsd,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        line: item.line,
        prompt: item.prompt,
        outcome: 'failed',
        error: message.replace(/\s+/g, ' ').trim(),
      };
    }
  };

  const worker = async (): Promise<void> => {
    while (next < lines.length) {
      const index = next++;
      const result = await runOne(lines[index]!);
      results[index] = result;
      done++;
      options.onResult?.(result, done, lines.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lines.length) }, worker));

  return {
    total: lines.length,
    warmed: results.filter((result) => result.outcome === 'warmed').length,
    cached: results.filter((result) => result.outcome === 'cached').length,
    failed: results.filter((result) => result.outcome === 'failed'),
    spentUsd: results.reduce((total, result) => total + (result.costUsd ?? 0), 0),
    results,
  };
}
