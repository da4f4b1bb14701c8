import { clearEntries, listEntries, resetStoreStats } from '@prompt-cache/app-kit';
import { type Command, Option } from 'commander';
import { settingsFrom, storeLabel, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { jsonOption, type SharedFlags, storeOptions, yesOption } from '../options/shared-options.js';
import { confirm } from '../output/prompts.js';
import { interactiveInput, say } from '../output/terminal.js';

interface ClearFlags extends SharedFlags {
  yes?: boolean;
  allNamespaces?: boolean;
  resetStats?: boolean;
  json?: boolean;
}

export function registerClear(program: Command): void {
  const command = program
    .command('clear')
    .description('remove the cached entries of a namespace (asks first)')
    .addHelpText(
      'after',
      `
Asks before it removes anything. Without a terminal to ask on, it refuses unless --yes is given.

Examples:
  $ prompt-cache clear
  $ prompt-cache clear --yes
  $ prompt-cache clear --all-namespaces --reset-stats --yes
  $ prompt-cache clear --cache-type redis --namespace myapp --yes`,
    );
  for (const option of storeOptions()) command.addOption(option);
  command
    .addOption(yesOption('do not ask; needed when standard input is not a terminal'))
    .addOption(new Option('--all-namespaces', 'remove the entries of every namespace in this cache'))
    .addOption(new Option('--reset-stats', 'also set the persisted statistics back to zero'))
    .addOption(jsonOption())
    .action(async (flags: ClearFlags) => {
      const settings = settingsFrom(flags);
      if (!flags.yes && !interactiveInput()) {
        throw new UsageError(
          'refusing to clear the cache without confirmation: standard input is not a terminal; pass --yes',
        );
      }
      await withStore(settings, async (store, description) => {
        const prefix = flags.allNamespaces ? undefined : `${settings.namespace}:`;
        const scope = prefix ? `namespace "${settings.namespace}"` : 'every namespace';
        if (!flags.yes) {
          const listed = await listEntries(store, { ...(prefix ? { prefix } : {}), limit: 100_000 });
          const count = listed
            ? `${listed.entries.length} ${listed.entries.length === 1 ? 'entry' : 'entries'}`
            : 'the entries';
          const extra = flags.resetStats ? ' and reset its statistics' : '';
          if (!(await confirm(`Remove ${count} of ${scope} from the ${storeLabel(description)}${extra}?`))) {
            say('Nothing removed.');
            return;
          }
        }
        const removed = await clearEntries(store, prefix);
        const statsReset = flags.resetStats ? await resetStoreStats(store) : false;
        if (flags.json) {
          say(
            JSON.stringify({
              cacheType: description.cacheType,
              location: description.location,
              namespace: prefix ? settings.namespace : null,
              removed,
              statsReset,
            }),
          );
          return;
        }
        say(
          `Removed ${removed} ${removed === 1 ? 'entry' : 'entries'} of ${scope} from the ${storeLabel(description)}.${statsReset ? ' Statistics reset.' : ''}`,
        );
      });
    });
}
