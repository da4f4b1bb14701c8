import { type AskResult, type ConverseInput, readRequestFile } from '@prompt-cache/app-kit';
import { type Command, Option } from 'commander';
import { settingsFrom } from '../context.js';
import { UsageError } from '../errors.js';
import {
  jsonOption,
  modelOptions,
  type SharedFlags,
  semanticOption,
  storeOptions,
  ttlOption,
} from '../options/shared-options.js';
import { describeResult } from '../output/ask-result.js';
import { holdingNotices, notice, say, withSpinner } from '../output/terminal.js';
import { openCliSession } from '../session.js';

interface AskFlags extends SharedFlags {
  request?: string;
  cache: boolean;
  refresh?: boolean;
  stream?: boolean;
  json?: boolean;
}

export function registerAsk(program: Command): void {
  const command = program
    .command('ask')
    .argument('[prompt...]', 'the question (quote it, or give the words as they are)')
    .description('ask a model once, through the cache: a repeat comes back from the cache in milliseconds')
    .addHelpText(
      'after',
      `
The answer goes to standard output; a status line (hit or miss, time, tokens, cost, key) to standard error.
A cache that fails (an unreachable Redis, an unwritable directory) is skipped with a warning: the model still answers.

Examples:
  $ prompt-cache ask "What is machine learning?"
  $ prompt-cache ask "What is machine learning?" --json
  $ prompt-cache ask "Explain AI" --cache-type memory --ttl 1800
  $ prompt-cache ask --request request.json          a full Converse input (JSON, up to 1 MiB)
  $ prompt-cache ask "Tell me a story" --stream       tokens as they arrive; a hit replays them
  $ prompt-cache ask "What is new?" --refresh         skip the cached answer, store a fresh one
  $ prompt-cache ask "Roll a die" --no-cache          neither read nor write the cache
  $ prompt-cache ask "How do I rotate logs?" --semantic   a paraphrase of a cached prompt is a hit too`,
    );
  command.addOption(
    new Option('--request <file>', 'read a full Converse input from a JSON file (modelId optional)'),
  );
  for (const option of [...modelOptions(), ...storeOptions()]) command.addOption(option);
  command
    .addOption(ttlOption())
    .addOption(new Option('--no-cache', 'answer without the cache: neither read nor write'))
    .addOption(new Option('--refresh', 'skip the cached answer and store a fresh one'))
    .addOption(new Option('--stream', 'use ConverseStream and print tokens as they arrive'))
    .addOption(semanticOption())
    .addOption(
      jsonOption(
        'print one JSON object: { cached, cache, similarity, matchedPrompt, key, text, model, provider, usage, costUsd, savedUsd, latencyMs, stored, notStoredReason, notStoredDetail }',
      ),
    )
    .action(async (words: string[], flags: AskFlags) => {
      const settings = settingsFrom(flags);
      const prompt = words.join(' ').trim();
      if (flags.request && prompt) {
        throw new UsageError('give either a prompt or --request <file>, not both');
      }
      if (!flags.request && !prompt) {
        throw new UsageError(
          'nothing to ask: give a prompt, e.g. prompt-cache ask "What is a TTL?", or --request <file>',
        );
      }
      if (flags.refresh && !flags.cache) {
        throw new UsageError('--refresh writes the cache and --no-cache does not touch it; choose one');
      }
      const input: string | ConverseInput = flags.request
        ? await readRequestFile(flags.request, { model: settings.model })
        : prompt;

      const session = await openCliSession(settings, { cache: flags.cache, debug: flags.debug === true });
      try {
        const call = flags.refresh ? { mode: 'refresh' as const } : {};
        let result: AskResult;
        if (flags.stream) {
          const stream = session.askStream(input, call);
          result = await holdingNotices(async () => {
            let printed = false;
            for await (const text of stream.text) {
              if (flags.json) continue;
              process.stdout.write(text);
              printed = true;
            }
            if (printed) process.stdout.write('\n');
            return stream.result;
          });
        } else {
          // A hit answers at once; the words must not claim the model is asked.
          result = await withSpinner(
            `looking in the cache, else asking ${session.inputOf(input).modelId}`,
            () => session.ask(input, call),
          );
          if (!flags.json) say(result.text);
        }
        if (flags.json) {
          say(JSON.stringify(jsonOf(result)));
        } else {
          notice(describeResult(result, { refresh: flags.refresh === true }));
        }
      } finally {
        await session.close();
      }
    });
}

/** The documented JSON shape of `ask --json`, and nothing else. */
function jsonOf(result: AskResult) {
  return {
    cached: result.cached,
    // `hit`, `semantic-hit` (a paraphrase's entry answered, this close to it), `miss` or `bypass`.
    cache: result.cache,
    similarity: result.similarity,
    matchedPrompt: result.matchedPrompt,
    key: result.key,
    text: result.text,
    model: result.model,
    provider: result.provider,
    usage: result.usage ?? {},
    costUsd: result.costUsd,
    savedUsd: result.savedUsd,
    latencyMs: result.latencyMs,
    stored: result.stored,
    // Why the answer is not in the cache: one word (`guardrail_intervened`, `bypass`, ...), then in words.
    ...(result.stored
      ? {}
      : { notStoredReason: result.notStoredCode ?? null, notStoredDetail: result.notStoredReason ?? null }),
  };
}
