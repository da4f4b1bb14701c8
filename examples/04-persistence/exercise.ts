// Exercise 4: a cache warmer.
//
// Before the first real users arrive, fill the cache with the questions you expect, so that they get hits.
// Write `warmCache(cache, jsonl, model)`: for every line of `jsonl`, ask the question through
// `cache.getOrCompute({ prompt }, () => model(prompt))`. The request is exactly `{ prompt }`, so that the app
// finds the entries later. A line is one of:
//   "What is a TTL?"                  a JSON string
//   {"prompt": "What is a TTL?"}      a JSON object with a non-empty string `prompt`
// Blank lines and lines starting with # are skipped. Any other line fails, and so does a line whose model call
// throws (a throttle, a timeout): report its number (the first line is 1, and skipped lines count) and why,
// then go on with the next lines. One bad line or one failed call never stops the warming.
// Count the outcomes: `warmed` (the model answered, the answer is stored), `alreadyCached` (a hit: it cost
// nothing) and `failed`.
// The check warms a file store, then opens a NEW store on the same directory (a restart) and expects every
// question to be a hit. Then run:  pnpm exercise 04-persistence
import type { PromptCache } from '@prompt-cache/core';

export interface Question {
  prompt: string;
}

export interface WarmReport {
  warmed: number;
  alreadyCached: number;
  failed: Array<{ line: number; error: string }>;
}

export async function warmCache(
  cache: PromptCache<Question, string>,
  jsonl: string,
  model: (prompt: string) => Promise<string>,
): Promise<WarmReport> {
  void cache;
  void jsonl;
  void model;
  throw new Error('Exercise 4: implement warmCache in examples/04-persistence/exercise.ts');
}
