import { type AppSession, type AppSettings, openSession } from '@prompt-cache/app-kit';
import type { CacheStore } from '@prompt-cache/core';
import { errorLine } from './errors.js';
import { errorColors, notice, withSpinner } from './output/terminal.js';

/** Options of {@link openCliSession}. */
export interface CliSessionOptions {
  /** `false` for `--no-cache`. Default `true`. */
  cache?: boolean;
  /** A store opened by the command itself. Default: the one the settings describe. */
  store?: CacheStore;
  /** Show stack traces of cache errors. Default `false`. */
  debug?: boolean;
  /** Leave out the provider notice (a command that reopens its session has shown it already). Default `false`. */
  quiet?: boolean;
}

/**
 * Opens a cached session for a command and wires its messages to standard error: the provider notice of
 * `--provider auto`, one line per distinct cache error (the call still answers: a cache failure never fails a
 * model call), and one line per model without a price.
 */
export async function openCliSession(
  settings: AppSettings,
  options: CliSessionOptions = {},
): Promise<AppSession> {
  const warned = new Set<string>();
  const warnOnce = (line: string) => {
    if (warned.has(line)) return;
    warned.add(line);
    notice(errorColors.yellow(`prompt-cache: ${line}`));
  };
  const session = await withSpinner(
    settings.provider === 'bedrock' ? 'connecting to Bedrock' : 'starting',
    () =>
      openSession({
        settings,
        ...(options.store ? { store: options.store } : {}),
        cache: options.cache ?? true,
        onUnknownModel: (model) =>
          warnOnce(
            `no price is known for model "${model}", so its cost is shown as unknown (the call works)`,
          ),
      }),
  );
  if (settings.provider === 'auto' && session.notice && !options.quiet)
    notice(errorColors.dim(`prompt-cache: ${session.notice}`));
  session.onCacheError(({ error }) => {
    const line = errorLine(error);
    const corrupt = (error as { code?: string }).code === 'CORRUPT_ENTRY';
    warnOnce(
      corrupt ? `${line} (a miss, not a failure)` : `cache skipped, the model answers without it: ${line}`,
    );
    if (options.debug && error instanceof Error && error.stack) notice(errorColors.dim(error.stack));
  });
  return session;
}
