import { readStoreStats } from '@prompt-cache/app-kit';
import type { Command } from 'commander';
import { settingsFrom, storeLabel, withStore } from '../context.js';
import { jsonOption, type SharedFlags, storeOptions } from '../options/shared-options.js';
import { statsTable } from '../output/tables.js';
import { colors, notice, say } from '../output/terminal.js';

interface StatsFlags extends SharedFlags {
  json?: boolean;
}

export function registerStats(program: Command): void {
  const command = program
    .command('stats')
    .description(
      'show the statistics a file or Redis cache keeps: hits, misses, latency, tokens and USD saved',
    )
    .addHelpText(
      'after',
      `
The file and Redis caches keep statistics of every process and every run, per namespace: with
--namespace (or PROMPT_CACHE_NAMESPACE) this shows that namespace, with the total across namespaces
on one line; without, the total across namespaces. A memory cache lives inside one process, so it has
none to show.

Examples:
  $ prompt-cache stats
  $ prompt-cache stats --json
  $ prompt-cache stats --namespace docs
  $ prompt-cache stats --cache-type redis --redis-url redis://127.0.0.1:6379
  $ prompt-cache stats --cache-dir ./.cache/answers`,
    );
  for (const option of storeOptions()) command.addOption(option);
  command.addOption(jsonOption()).action(async (flags: StatsFlags) => {
    const settings = settingsFrom(flags);
    // Only a namespace someone named narrows the figures; the default one would hide the others.
    const named = flags.namespace !== undefined || process.env.PROMPT_CACHE_NAMESPACE !== undefined;
    await withStore(settings, async (store, description) => {
      const stats = await readStoreStats(store, undefined, named ? settings.namespace : undefined);
      if (stats.scope === 'process') {
        notice(
          'prompt-cache: a memory cache lives inside one process, so it keeps no statistics between runs; use --cache-type file or redis',
        );
      }
      if (flags.json) {
        say(
          JSON.stringify({
            cacheType: description.cacheType,
            location: description.location,
            scope: stats.scope,
            namespace: stats.namespace ?? null,
            ...stats.snapshot,
            entries: stats.size?.entries ?? null,
            bytes: stats.size?.bytes ?? null,
            ...(stats.namespace === undefined ? {} : { allNamespaces: stats.allNamespaces }),
            namespaces: stats.namespaces,
          }),
        );
        return;
      }
      const whose =
        stats.namespace === undefined
          ? stats.scope === 'persisted'
            ? `all namespaces (${stats.namespaces.length})`
            : 'this process'
          : `namespace ${stats.namespace}`;
      say(colors.bold(`Statistics of ${whose} in the ${storeLabel(description)}`));
      say(statsTable(stats));
    });
  });
}
