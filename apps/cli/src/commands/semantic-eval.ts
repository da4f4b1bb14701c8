import { readFile } from 'node:fs/promises';
import { evaluateClusters } from '@prompt-cache/semantic';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { jsonOption } from '../options/shared-options.js';
import { say } from '../output/terminal.js';

export function registerSemanticEval(program: Command): void {
  program
    .command('semantic-eval')
    .description(
      'replay a cluster file of paraphrases through semantic matching, offline, with the default settings',
    )
    .argument(
      '<file>',
      'a JSON list of clusters, each a list of questions that mean the same (the OSSChat format)',
    )
    .addHelpText(
      'after',
      `
Every question of a cluster but the first is cached with an answer naming its cluster; then the first
question of each cluster is asked. Served right, served wrong and not served are counted.

Examples:
  $ prompt-cache semantic-eval cluster_user_questions.json
  $ prompt-cache semantic-eval clusters.json --json`,
    )
    .addOption(jsonOption())
    .action(async (file: string, flags: { json?: boolean }) => {
      let clusters: unknown;
      try {
        clusters = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new UsageError(
          `cannot read ${file} as JSON (${(error as Error).message}); pass a JSON list of clusters of questions`,
        );
      }
      const result = await evaluateClusters(clusters);
      const { truePositives, falsePositives, misses, queries, msPerLookup } = result;
      if (flags.json) {
        say(JSON.stringify({ truePositives, falsePositives, misses, queries, msPerLookup }));
        return;
      }
      say(`${queries} questions asked against the cache:`);
      say(`  served right   ${truePositives}`);
      say(`  served wrong   ${falsePositives}`);
      say(`  not served     ${misses}`);
      say(`  ${msPerLookup.toFixed(1)} ms per lookup (embedding, scoring and the decision rule)`);
      for (const wrong of result.wrong)
        say(`  wrong: "${wrong.query}" was given the answer of "${wrong.matched}"`);
    });
}
