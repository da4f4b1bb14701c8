import { pruneEntries } from '@prompt-cache/app-kit';
import type { Command } from 'commander';
import { settingsFrom, storeLabel, withStore } from '../context.js';
import { jsonOption, type SharedFlags, storeOptions } from '../options/shared-options.js';
import { say } from '../output/terminal.js';

interface PruneFlags extends SharedFlags {
  json?: boolean;
}

export function registerPrune(program: Command): void {
  const command = program
    .command('prune')
    .description('remove expired and unreadable entries now (expired entries already read as misses)')
    .addHelpText(
      'after',
      `
Expired entries are never served, so pruning only frees space. Redis expires entries itself.

Examples:
  $ prompt-cache prune
  $ prompt-cache prune --cache-dir ./.cache/answers --json`,
    );
  for (const option of storeOptions()) command.addOption(option);
  command.addOption(jsonOption()).action(async (flags: PruneFlags) => {
    const settings = settingsFrom(flags);
    await withStore(settings, async (store, description) => {
      const removed = await pruneEntries(store);
      if (flags.json) {
        say(
          JSON.stringify({
            cacheType: description.cacheType,
            location: description.location,
            removed: removed ?? 0,
          }),
        );
        return;
      }
      if (removed === undefined) {
        say(`The ${storeLabel(description)} expires entries by itself; nothing to prune.`);
        return;
      }
      say(
        `Removed ${removed} expired or unreadable ${removed === 1 ? 'entry' : 'entries'} from the ${storeLabel(description)}.`,
      );
    });
  });
}
