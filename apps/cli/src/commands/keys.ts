import { listEntries } from '@prompt-cache/app-kit';
import { type Command, Option } from 'commander';
import { settingsFrom, storeLabel, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { jsonOption, type SharedFlags, storeOptions } from '../options/shared-options.js';
import { entriesTable } from '../output/tables.js';
import { colors, say } from '../output/terminal.js';

interface KeysFlags extends SharedFlags {
  json?: boolean;
  limit?: string;
  allNamespaces?: boolean;
  full?: boolean;
}

export function registerKeys(program: Command): void {
  const command = program
    .command('keys')
    .description('list the cached entries of a namespace: key, model, age, TTL left, size and cost')
    .addHelpText(
      'after',
      `
Examples:
  $ prompt-cache keys
  $ prompt-cache keys --full --limit 20
  $ prompt-cache keys --all-namespaces --json
  $ prompt-cache keys --cache-type redis --namespace myapp`,
    );
  for (const option of storeOptions()) command.addOption(option);
  command
    .addOption(new Option('--limit <n>', 'show at most n entries').default('100'))
    .addOption(new Option('--all-namespaces', 'list the entries of every namespace'))
    .addOption(new Option('--full', 'show whole keys'))
    .addOption(jsonOption())
    .action(async (flags: KeysFlags) => {
      const settings = settingsFrom(flags);
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new UsageError(`--limit must be a whole number >= 1; got ${JSON.stringify(flags.limit)}`);
      }
      await withStore(settings, async (store, description) => {
        const prefix = flags.allNamespaces ? undefined : `${settings.namespace}:`;
        const listed = await listEntries(store, { ...(prefix ? { prefix } : {}), limit });
        if (!listed) {
          throw new UsageError(`the ${description.cacheType} cache cannot list its keys`);
        }
        if (flags.json) {
          say(
            JSON.stringify({
              cacheType: description.cacheType,
              location: description.location,
              namespace: prefix ? settings.namespace : null,
              truncated: listed.truncated,
              entries: listed.entries,
            }),
          );
          return;
        }
        const scope = prefix ? `namespace "${settings.namespace}"` : 'every namespace';
        if (listed.entries.length === 0) {
          say(`No entries in ${scope} of the ${storeLabel(description)}.`);
          if (description.cacheType === 'memory')
            say('A memory cache lives inside one process; use --cache-type file or redis.');
          return;
        }
        say(
          colors.bold(
            `${listed.entries.length}${listed.truncated ? '+' : ''} ${listed.entries.length === 1 && !listed.truncated ? 'entry' : 'entries'} in ${scope} of the ${storeLabel(description)}`,
          ),
        );
        say(entriesTable(listed.entries, { fullKeys: flags.full === true }));
        if (listed.truncated) say(colors.dim(`More entries exist; raise --limit (now ${limit}).`));
        say(colors.dim('Inspect one: prompt-cache inspect <key>'));
      });
    });
}
