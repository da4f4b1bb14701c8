// Module 4: persistence. A file store keeps answers on disk, so a restart (a new store on the same
// directory) still answers from the cache. Damaged files read as misses, and prune() removes what expired.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type CacheResult, createPromptCache } from '@prompt-cache/core';
import { createFakeClock } from '@prompt-cache/core/testing';
import { costOf } from '@prompt-cache/pricing';
import { createFileStore } from '@prompt-cache/store-file';

const MODEL = 'amazon.nova-lite-v1:0';
const QUESTIONS = ['What is a file store?', 'Why do answers survive a restart?', 'What does prune() remove?'];

interface Answer {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
}

/** A stand-in for a model, as in module 1: about one second, a deterministic answer. */
async function standInModel(prompt: string): Promise<Answer> {
  const seconds = process.env.PROMPT_CACHE_FAST_EXAMPLES ? 0.01 : 0.9 + (prompt.length % 7) * 0.03;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return {
    text: `[stand-in model] A short answer to "${prompt}"`,
    usage: { inputTokens: Math.ceil(prompt.length / 4) + 20, outputTokens: 200 },
  };
}

// A fake clock for step 5 (expiry without waiting); everything else runs in real time.
const clock = createFakeClock();
const directory = mkdtempSync(join(tmpdir(), 'prompt-cache-course-'));

/** One "process": a new store and a new cache on the same directory. */
function open() {
  const store = createFileStore({ directory, clock });
  const cache = createPromptCache<{ model: string; prompt: string }, Answer>({
    store,
    clock,
    ttlSeconds: 3600,
    describe: (answer, request) => ({
      model: request.model,
      usage: answer.usage,
      costUsd: costOf(request.model, answer.usage),
    }),
  });
  return { store, cache };
}

const formatMs = (ms: number) => (ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(3)} ms`);
const show = (result: CacheResult<Answer>, prompt: string, note = '') =>
  console.log(
    `  ${result.status.toUpperCase().padEnd(5)} ${formatMs(result.latencyMs).padStart(10)}  ${prompt}${note}`,
  );

try {
  console.log(`1. First run: ${QUESTIONS.length} questions, a file store in ${directory}`);
  const first = open();
  for (const prompt of QUESTIONS) {
    show(await first.cache.getOrCompute({ model: MODEL, prompt }, () => standInModel(prompt)), prompt);
  }
  const key = first.cache.keyFor({ model: MODEL, prompt: QUESTIONS[0]! });
  const file = first.store.entryPath(key);
  const size = await first.store.size();
  console.log(`  ${size.entries} entry files written, e.g. ${relative(directory, file).slice(0, 22)}…`);
  await first.cache.close(); // flushes the statistics to stats/

  console.log('\n2. A restart: a new store and a new cache on the same directory');
  const second = open();
  for (const prompt of QUESTIONS) {
    const result = await second.cache.getOrCompute({ model: MODEL, prompt }, () => standInModel(prompt));
    show(result, prompt, result.status === 'hit' ? '  (written by the first run)' : '');
  }

  console.log('\n3. The statistics survive too (stats/ in the same directory):');
  const totals = await second.cache.snapshot();
  console.log(
    `  both runs: hits ${totals.hits}, misses ${totals.misses}, saved ${formatMs(totals.savedMs)} and $${totals.savedUsd.toFixed(7)}`,
  );

  console.log('\n4. A damaged file reads as a miss, never as garbage:');
  const bytes = readFileSync(file);
  const last = bytes.length - 1;
  bytes[last] = bytes[last]! ^ 0xff; // flip the last byte of the answer
  writeFileSync(file, bytes);
  const prompt = QUESTIONS[0]!;
  show(await second.cache.getOrCompute({ model: MODEL, prompt }, () => standInModel(prompt)), prompt);
  console.log(
    `  the checksum caught it: errors ${second.cache.stats.snapshot().errors}; the file was removed and a fresh answer stored`,
  );

  console.log('\n5. Expired entries: two hours later (a fake clock), prune() removes them');
  clock.advance(2 * 3600 * 1000);
  console.log(
    `  prune() removed ${await second.store.prune()} expired entries; ${(await second.store.size()).entries} left`,
  );
  await second.cache.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
console.log('\nThe temporary directory was removed. With the CLI: prompt-cache demo --advanced');
