import { createPromptCache } from '@prompt-cache/core';
import {
  createSemanticStage,
  createUseLiteEmbedder,
  DEFAULT_GUARD_RULES,
  type GuardRule,
} from '@prompt-cache/semantic';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { describe, expect, it } from 'vitest';
import { solution } from '../solution-switch.ts';

const { timeRule } = await solution<typeof import('./exercise.ts')>('10-semantic-caching', import.meta.url);

/** [cached prompt, asked prompt]: the default guard serves each of these, and each answer would be wrong. */
const MUST_REFUSE: [string, string][] = [
  ['What will the weather be in Paris today?', 'What will the weather be in Paris tomorrow?'],
  ['Which meetings do I have next week?', 'Which meetings did I have last week?'],
  ['What were the sales figures yesterday?', 'What are the sales figures today?'],
  ['Summarize the news from this morning', 'Summarize the news from tonight'],
  ['what is the exchange rate this month', 'what was the exchange rate last month'],
  ['Show me the revenue report for this year', 'Show me the revenue report for next year'],
  ['Who is on call tonight?', 'Who is on call today?'],
];

/** [cached prompt, asked prompt]: the same question in other words, which must still be served. */
const MUST_SERVE: [string, string][] = [
  ['What is the weather in Paris today?', 'How is the weather in Paris today?'],
  ['Which meetings do I have next week?', 'What meetings do I have next week?'],
  ['Show me the revenue report for this year', 'Display the revenue report for this year'],
  ['Who is on call tonight?', 'Who will be on call tonight?'],
  [
    'How do I configure the retention period of logs in the Milvus server?',
    'How can I configure the log retention period of a Milvus server?',
  ],
];

type Request = { model: string; prompt: string };
// One embedder for every cache of the check: the model loads once.
const embedder = createUseLiteEmbedder();

/** Caches `cached`'s answer, then asks `asked`: was it served from the cache, and did the model run again? */
async function askAfter(cached: string, asked: string, guardRules: readonly GuardRule[]) {
  const semantic = createSemanticStage<Request>({
    split: (request) => ({ scope: { model: request.model }, text: request.prompt }),
    embedder,
    guardRules: [...guardRules],
  });
  const cache = createPromptCache<Request, string>({ store: createMemoryStore(), semantic });
  let modelCalls = 0;
  const model = async (request: Request) => {
    modelCalls++;
    return `the answer to ${request.prompt}`;
  };
  const first = { model: 'amazon.nova-lite-v1:0', prompt: cached };
  await cache.getOrCompute(first, () => model(first));
  await semantic.flush();
  const second = { model: 'amazon.nova-lite-v1:0', prompt: asked };
  const result = await cache.getOrCompute(second, () => model(second));
  return { served: result.semantic !== undefined, modelCalls };
}

describe('exercise 10: your timeRule, on its own', () => {
  it.each(MUST_REFUSE)('refuses %j for %j, with a reason that starts with "time"', (cached, asked) => {
    expect(timeRule(asked, cached)).toMatch(/^time/);
  });

  it.each(MUST_SERVE)('finds no contradiction between %j and %j', (cached, asked) => {
    expect(timeRule(asked, cached)).toBeUndefined();
  });

  it('reads whole words, and counts "this", "next" and "last" only before a period of time', () => {
    expect(timeRule("What is tomorrow's weather?", "What is today's weather?")).toMatch(/^time/);
    expect(timeRule('Do you know what is new today?', 'What is new today?')).toBeUndefined(); // "know" is not "now"
    expect(timeRule('Is this a good week to deploy?', 'Is next week a good time to deploy?')).toBeUndefined();
    expect(timeRule('What happened last week?', 'What happened last month?')).toMatch(/^time/);
  });

  it('a time on one side only, or the same times in another order or case, is no contradiction', () => {
    expect(
      timeRule('What will the weather be in Paris?', 'What will the weather be in Paris today?'),
    ).toBeUndefined();
    expect(timeRule('TODAY and TOMORROW: what is on?', 'What is on tomorrow and today?')).toBeUndefined();
    expect(timeRule('What is on today and tomorrow?', 'What is on today?')).toMatch(/^time/);
  });
});

describe('exercise 10: your rule in a semantic cache (default offline embedder)', () => {
  it('the default guard alone serves every pair that must be refused: the rule is needed', async () => {
    for (const [cached, asked] of MUST_REFUSE) {
      expect((await askAfter(cached, asked, DEFAULT_GUARD_RULES)).served, asked).toBe(true);
    }
  });

  it('with your rule, each of those pairs reaches the model instead', async () => {
    for (const [cached, asked] of MUST_REFUSE) {
      const { served, modelCalls } = await askAfter(cached, asked, [...DEFAULT_GUARD_RULES, timeRule]);
      expect({ asked, served, modelCalls }).toEqual({ asked, served: false, modelCalls: 2 });
    }
  });

  it('with your rule, paraphrases are still served from the cache', async () => {
    for (const [cached, asked] of MUST_SERVE) {
      const { served, modelCalls } = await askAfter(cached, asked, [...DEFAULT_GUARD_RULES, timeRule]);
      expect({ asked, served, modelCalls }).toEqual({ asked, served: true, modelCalls: 1 });
    }
  });
});
