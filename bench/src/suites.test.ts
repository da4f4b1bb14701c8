// Smoke test: every suite in its tiny mode (a handful of entries, a few ms per task). Figures are not checked —
// no test asserts a timing — but the shape of each result and every correctness check are.

import { existsSync } from 'node:fs';
import { requireRedis } from '@prompt-cache/test-redis';
import { describe, expect, it } from 'vitest';
import type { SuiteResult } from './suite.js';
import { adaptersSuite } from './suites/adapters.js';
import { bedrockSuite } from './suites/bedrock.js';
import { fileStoreSuite } from './suites/file-store.js';
import { gatewaySuite } from './suites/gateway.js';
import { hitPathSuite } from './suites/hit-path.js';
import { imageCorrectnessSuite } from './suites/image-correctness.js';
import { DATASET_PATH, realQuestionsSuite } from './suites/real-questions.js';
import { redisSuite } from './suites/redis.js';
import { scalingSuite } from './suites/scaling.js';
import { stampedeSuite } from './suites/stampede.js';

const tiny = { quick: true, tiny: true };
const hasRedis = requireRedis('the Redis parts of the bench smoke test', ['redis-server', 'redis-benchmark']);
// The dataset is read from shared/ beside the repository and never copied into it, so a clone elsewhere (CI's
// included) may lack it: then the real-questions checks are skipped, loudly, as the project's rules ask.
const hasDataset = existsSync(DATASET_PATH);
if (!hasDataset) {
  console.warn(`[bench] the real-questions checks are skipped: no OSSChat dataset at ${DATASET_PATH}`);
}

function expectShape(result: SuiteResult, id: string) {
  expect(result.id).toBe(id);
  expect(result.title.length).toBeGreaterThan(0);
  expect(Array.isArray(result.verdicts)).toBe(true);
  if (result.skipped) return;
  expect(result.rows.length).toBeGreaterThan(0);
  for (const row of result.rows) expect(row.label.length).toBeGreaterThan(0);
  for (const goal of result.goals ?? []) {
    expect(goal.goal.length).toBeGreaterThan(0);
    expect(goal.detail.length).toBeGreaterThan(0);
  }
  // Whatever the format, a result must survive the trip to latest.json.
  expect(JSON.parse(JSON.stringify(result)).id).toBe(id);
}

const cell = (result: SuiteResult, labelStart: string, column: string) =>
  result.rows.find((row) => row.label.startsWith(labelStart))?.cells?.[column];

describe('bench suites, tiny mode', () => {
  it('hit-path: every library answers right, with a figure per row', async () => {
    const result = await hitPathSuite.run(tiny);
    expectShape(result, 'hit-path');
    expect(result.rows.map((row) => row.label.split(' ')[0])).toEqual([
      'floor:',
      'bare',
      'prompt-cache',
      'keyv',
      'cache-manager',
      'LangChain',
      'LangChain',
    ]);
    for (const row of result.rows) expect(row.medianNs).toBeGreaterThan(0);
    expect(result.rows[2]!.note).toBe('returns a copy');
    expect(result.rows[4]!.note).toContain('stored object itself');
    expect(result.chart?.bars.length).toBe(6);
  });

  it('adapters: every adapter answers from its cache, each row against its bare hit path', async () => {
    const result = await adaptersSuite.run(tiny);
    expectShape(result, 'adapters');
    expect(result.rows).toHaveLength(11);
    for (const row of result.rows) expect(row.medianNs).toBeGreaterThan(0);
    expect(result.rows.filter((row) => row.ratio === 1).map((row) => row.label.split(':')[0])).toEqual([
      'AI SDK bare hit',
      'LangChain bare hit',
    ]);
    expect(result.goals?.map((goal) => goal.goal)).toEqual([
      'AI SDK middleware hit within 2x of our bare hit path',
      'LangChain cache lookup within 2x of our bare hit path',
    ]);
  });

  it.runIf(hasRedis)('redis: three libraries, raw ioredis and the redis-benchmark floor', async () => {
    const result = await redisSuite.run(tiny);
    expectShape(result, 'redis');
    expect(result.rows.map((row) => row.label.split(' ')[0])).toEqual([
      'floor:',
      'prompt-cache',
      'prompt-cache',
      'prompt-cache',
      'prompt-cache',
      '@keyv/redis',
      'raw',
      '@langchain/community',
    ]);
    for (const row of result.rows) expect(row.cells?.['1.5kb_c50_rate']).toBeGreaterThan(0);
  });

  it.skipIf(hasRedis)('redis: skipped with a message without redis-server', async () => {
    const result = await redisSuite.run(tiny);
    expect(result.skipped).toMatch(/not on PATH/);
  });

  it('file-store: a hit latency beside its floors', async () => {
    const result = await fileStoreSuite.run(tiny);
    expectShape(result, 'file-store');
    expect(result.rows).toHaveLength(3);
  });

  it('stampede: prompt-cache calls the model once', { timeout: 60_000 }, async () => {
    const result = await stampedeSuite.run(tiny);
    expectShape(result, 'stampede');
    expect(cell(result, 'prompt-cache', 'local')).toBe(1);
    expect(cell(result, 'keyv', 'local')).toBeGreaterThan(1);
    for (const row of result.rows) expect(row.cells?.answers).toBe('all right');
    if (hasRedis) expect(cell(result, 'prompt-cache', 'shared')).toBe(1);
  });

  it('image-correctness: prompt-cache right, LangChain wrong', async () => {
    const result = await imageCorrectnessSuite.run(tiny);
    expectShape(result, 'image-correctness');
    expect(cell(result, 'prompt-cache (memory', 'result')).toBe('right');
    expect(cell(result, 'LangChain chat model, InMemoryCache', 'result')).toBe('WRONG');
    if (hasRedis) expect(cell(result, 'prompt-cache (Redis', 'result')).toBe('right');
  });

  it.skipIf(hasDataset)('real-questions: a clear skip without the dataset', async () => {
    const result = await realQuestionsSuite.run(tiny);
    expectShape(result, 'real-questions');
    expect(result.skipped).toMatch(/dataset/);
  });

  it.runIf(hasDataset)('real-questions: no false positive', async () => {
    const result = await realQuestionsSuite.run(tiny);
    expectShape(result, 'real-questions');
    expect(result.rows).toHaveLength(3);
    expect(cell(result, 'prompt-cache, exact', 'truePositives')).toBe(0);
    for (const row of result.rows) expect(row.cells?.falsePositives).toBe(0);
  });

  it(
    'gateway: the gateway and the bare servers answer under load, over HTTP/1.1 and h2c',
    { timeout: 60_000 },
    async () => {
      const result = await gatewaySuite.run(tiny);
      expectShape(result, 'gateway');
      expect(result.rows).toHaveLength(5);
      for (const row of result.rows) expect(row.opsPerSecond).toBeGreaterThan(0);
      // The body-checking server answers 404 to any other body, so its note proves it saw the request's bytes.
      expect(result.rows.map((row) => row.note)).toEqual([
        'floor',
        'the least a cache does before it answers',
        'every response 2xx',
        'floor',
        'every response 2xx',
      ]);
      expect(result.goals).toHaveLength(2);
    },
  );

  it('bedrock: the middleware suite runs and reports its goals', async () => {
    const result = await bedrockSuite.run(tiny);
    expectShape(result, 'bedrock');
    expect(result.goals?.length).toBeGreaterThan(0);
  });

  it('scaling: every size measured', async () => {
    const result = await scalingSuite.run(tiny);
    expectShape(result, 'scaling');
    expect(result.rows).toHaveLength(4);
    expect(result.goals).toHaveLength(4);
  });
});
