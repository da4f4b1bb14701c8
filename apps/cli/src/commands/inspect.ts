import {
  createKeyInspector,
  type EntryDetails,
  inspectEntry,
  type KeyInspector,
  readRequestFile,
} from '@prompt-cache/app-kit';
import type { CacheStore, KeyExplanation } from '@prompt-cache/core';
import { type Command, Option } from 'commander';
import { settingsFrom, storeLabel, withStore } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { jsonOption, type SharedFlags, storeOptions } from '../options/shared-options.js';
import { formatMs, formatTime, formatTtlLeft, formatUsd, oneLine } from '../output/format.js';
import { keyValueTable } from '../output/tables.js';
import { colors, say } from '../output/terminal.js';

interface InspectFlags extends SharedFlags {
  prompt?: string;
  request?: string;
  stream?: boolean;
  json?: boolean;
}

export function registerInspect(program: Command): void {
  const command = program
    .command('inspect')
    .argument('[key]', 'a cache key, as `keys` or `ask` show it')
    .description('show one entry: its answer, when it expires, what it cost, and the key material behind it')
    .addHelpText(
      'after',
      `
A key is a one-way hash, so the key material (the canonical request that was hashed) is shown when you give
the request itself: --prompt or --request.

Examples:
  $ prompt-cache inspect prompt-cache:v1:3fa1c9e0...
  $ prompt-cache inspect --prompt "What is machine learning?"
  $ prompt-cache inspect --prompt "What is machine learning?" --model amazon.nova-pro-v1:0 --json
  $ prompt-cache inspect --request request.json
  $ prompt-cache inspect --prompt "Tell me a story" --stream     the entry of ask --stream`,
    )
    .addOption(new Option('--prompt <text>', 'find the entry of this prompt (and show its key material)'))
    .addOption(new Option('--request <file>', 'find the entry of a full Converse input in a JSON file'))
    .addOption(
      new Option(
        '--model <id>',
        'model of --prompt (default: amazon.nova-lite-v1:0; env PROMPT_CACHE_MODEL)',
      ),
    )
    .addOption(new Option('--stream', 'the entry of the streamed answer (ask --stream keys it apart)'));
  for (const option of storeOptions()) command.addOption(option);
  command.addOption(jsonOption()).action(async (key: string | undefined, flags: InspectFlags) => {
    const settings = settingsFrom(flags);
    const given = [key, flags.prompt, flags.request].filter((value) => value !== undefined).length;
    if (given !== 1) {
      throw new UsageError(
        'name exactly one entry: a key, --prompt <text> or --request <file>, e.g. prompt-cache inspect --prompt "What is AI?"',
      );
    }
    // A namespace is a tenant's boundary: a key of another namespace is not read, even by its full name.
    if (key !== undefined && !key.startsWith(`${settings.namespace}:`)) {
      const owner = key.split(':')[0];
      throw new UsageError(
        `key ${oneLine(key)} is not in namespace "${settings.namespace}"; pass --namespace ${owner} to inspect it`,
      );
    }
    const operation = flags.stream ? 'ConverseStream' : 'Converse';
    let explanation: KeyExplanation | undefined;
    let inspector: KeyInspector | undefined;
    if (key === undefined) {
      inspector = createKeyInspector(settings);
      const request = flags.request
        ? await readRequestFile(flags.request, { model: settings.model })
        : (flags.prompt as string);
      explanation = inspector.explain(request, operation);
    }
    await withStore(settings, async (store, description) => {
      const wanted = explanation?.key ?? (await fullKeyOf(store, key as string));
      const details = await inspectEntry(store, wanted, undefined, settings.protection.encryption);
      // A key names one entry: when it is not there, that is a failure (a prompt's key may just not be cached yet).
      if (!details && key !== undefined) {
        throw new CliError(
          `no live entry under key ${oneLine(wanted)} in the ${storeLabel(description)} (never stored, expired or removed); list them with prompt-cache keys`,
        );
      }
      if (flags.json) {
        say(
          JSON.stringify({
            key: wanted,
            found: details !== undefined,
            entry: details ?? null,
            explanation: explanation ?? null,
          }),
        );
        return;
      }
      say(`${colors.bold('key')} ${wanted}`);
      if (details) printEntry(details);
      else {
        say(colors.yellow(`No live entry under this key in the ${storeLabel(description)}.`));
        say(
          colors.dim(
            'It was never stored, has expired, was removed, or lives in another namespace or cache.',
          ),
        );
      }
      if (explanation) printExplanation(explanation);
      else
        say(
          colors.dim(
            '\nKey material: give --prompt or --request to see what is hashed (a key is a one-way hash).',
          ),
        );
    });
  });
}

function printEntry(details: EntryDetails): void {
  const usage = details.meta.usage;
  say(
    keyValueTable([
      ['created', formatTime(details.createdAt)],
      ['expires', details.expiresAt === null ? 'never' : formatTime(details.expiresAt)],
      ['TTL', formatTtlLeft(details.ttlLeftSeconds)],
      ['model', details.model ?? '-'],
      [
        'answered by',
        details.provider === 'simulator' ? 'simulator (simulated answer)' : (details.provider ?? '-'),
      ],
      ['tokens', usage ? `${usage.inputTokens} in + ${usage.outputTokens} out` : '-'],
      ['cost of the call', details.costUsd === undefined ? '-' : formatUsd(details.costUsd)],
      ['original latency', formatMs(details.latencyMs)],
      ['stored size', `${details.bytes} bytes`],
      ...(details.meta.tags?.length ? [['tags', details.meta.tags.join(', ')] as [string, string]] : []),
    ]),
  );
  if (details.text !== undefined) say(`${colors.bold('answer')} ${oneLine(details.text, 300)}`);
}

function printExplanation(explanation: KeyExplanation): void {
  say(colors.bold('\nKey material (canonical JSON, then SHA-256):'));
  say(explanation.material);
  say(
    colors.dim(
      `namespace ${explanation.namespace}, key version ${explanation.version}, ${explanation.algorithm}` +
        `${explanation.normalized ? ', prompt text normalized' : ''}` +
        `${explanation.excluded.length ? `; left out: ${explanation.excluded.join(', ')}` : ''}`,
    ),
  );
  say(
    colors.dim(
      'Any change to this text (model, parameters, a single character of the prompt) gives another key.',
    ),
  );
}

/**
 * The whole key of a key as `keys` shows it (`prompt-cache:v1:3fa1c9e0a1b2…`): the one entry whose key starts with
 * it. A whole key is returned as it is.
 */
async function fullKeyOf(store: CacheStore, key: string): Promise<string> {
  const prefix = key.replace(/(…|\.\.\.)$/, '');
  if (prefix === key && /:v\d+:[0-9a-f]{64}$/.test(key)) return key;
  if (!store.keys) return key;
  const matches: string[] = [];
  for await (const candidate of store.keys(prefix)) {
    matches.push(candidate);
    if (matches.length > 1) {
      throw new UsageError(
        `more than one entry has a key starting with ${oneLine(prefix)}; give more of the key (keys --full shows whole keys)`,
      );
    }
  }
  return matches[0] ?? key;
}
