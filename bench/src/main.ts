// `pnpm bench [--quick] [--only <suite,...>]`: every suite side by side in one run, medians and ratios.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from './machine.js';
import { suiteToMarkdown } from './report.js';
import type { Suite, SuiteResult } from './suite.js';
import { hitPathSuite } from './suites/hit-path.js';

const suites: Suite[] = [hitPathSuite];

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
  allowPositionals: false,
});
const only = values.only?.split(',');
const unknown = only?.filter((id) => !suites.some((suite) => suite.id === id));
if (unknown?.length) {
  console.error(
    `unknown suite ${unknown.join(', ')}; choose from ${suites.map((suite) => suite.id).join(', ')}`,
  );
  process.exit(2);
}

const machine = describeMachine();
console.log(
  `prompt-cache benchmarks${values.quick ? ' (quick)' : ''}: node ${machine.node}, ${machine.cpu}, ${machine.platform}\n`,
);
const results: SuiteResult[] = [];
for (const suite of suites.filter((candidate) => !only || only.includes(candidate.id))) {
  const result = await suite.run({ quick: values.quick });
  results.push(result);
  console.log(suiteToMarkdown(result));
}

const resultsDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
mkdirSync(resultsDirectory, { recursive: true });
writeFileSync(
  join(resultsDirectory, 'latest.json'),
  `${JSON.stringify({ machine, quick: values.quick, results }, null, 2)}\n`,
);
console.log(`results written to bench/results/latest.json`);
