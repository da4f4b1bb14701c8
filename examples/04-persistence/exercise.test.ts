import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPromptCache } from '@prompt-cache/core';
import { createFileStore } from '@prompt-cache/store-file';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { solution } from '../solution-switch.ts';
import type { Question } from './exercise.ts';

const { warmCache } = await solution<typeof import('./exercise.ts')>('04-persistence', import.meta.url);

const PROMPTS = ['What is a TTL?', 'What is LRU eviction?', 'Why warm a cache?'];
const JSONL = [
  '# the questions our users ask most', // line 1
  '"What is a TTL?"', // line 2
  '{"prompt": "What is LRU eviction?"}', // line 3
  '', // line 4
  '{"prompt": "What is a cache stampede?"', // line 5: broken JSON
  '{"question": "no prompt field"}', // line 6: no prompt
  '{"prompt": "Why warm a cache?"}', // line 7
].join('\n');

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'prompt-cache-exercise-4-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** A new store and cache on the directory: what an app sees after a restart. */
const open = () => createPromptCache<Question, string>({ store: createFileStore({ directory }) });

function countingModel() {
  const calls: string[] = [];
  const model = async (prompt: string) => {
    calls.push(prompt);
    return `answer to ${prompt}`;
  };
  return { calls, model };
}

/** The failed line numbers, in file order (a warmer may work on several lines at once). */
const lines = (report: { failed: Array<{ line: number }> }) =>
  report.failed.map((failure) => failure.line).sort((a, b) => a - b);

const mustNotBeCalled = async (): Promise<string> => {
  throw new Error('the model was called: this question should have been warmed');
};

describe('exercise 4: your cache warmer', () => {
  it('warms every good line, and after a restart every question is a hit', async () => {
    const { calls, model } = countingModel();
    const cache = open();
    const report = await warmCache(cache, JSONL, model);
    await cache.close();
    expect(report.warmed).toBe(3);
    expect(report.alreadyCached).toBe(0);
    expect(calls.sort()).toEqual([...PROMPTS].sort());

    const restarted = open();
    for (const prompt of PROMPTS) {
      const result = await restarted.getOrCompute({ prompt }, mustNotBeCalled);
      expect(result.status).toBe('hit');
      expect(result.value).toBe(`answer to ${prompt}`);
    }
    await restarted.close();
  });

  it('reports broken lines with their line numbers, and goes on', async () => {
    const cache = open();
    const report = await warmCache(cache, JSONL, countingModel().model);
    await cache.close();
    expect(lines(report)).toEqual([5, 6]);
    for (const failure of report.failed) expect(failure.error).toEqual(expect.any(String));
  });

  it('costs nothing the second time: every question is already cached', async () => {
    const first = open();
    await warmCache(first, JSONL, countingModel().model);
    await first.close();
    const { calls, model } = countingModel();
    const second = open();
    const report = await warmCache(second, JSONL, model);
    await second.close();
    expect(report).toMatchObject({ warmed: 0, alreadyCached: 3 });
    expect(calls).toEqual([]);
  });

  it('reports a line whose model call failed, and warms the others', async () => {
    const cache = open();
    const report = await warmCache(cache, JSONL, async (prompt) => {
      if (prompt === 'What is LRU eviction?') throw new Error('ThrottlingException: slow down');
      return `answer to ${prompt}`;
    });
    await cache.close();
    expect(report.warmed).toBe(2);
    expect(lines(report)).toEqual([3, 5, 6]);
  });
});
