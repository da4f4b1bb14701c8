import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { cachePointModelOf } from './cache-point-models.js';
import { placeCachePoints, planCachePoints } from './cache-points.js';

/** Text of about `tokens` tokens at the default estimate (4 characters a token). */
const text = (tokens: number) => 'abcd'.repeat(tokens);
const point = (ttl?: '5m' | '1h') => ({ cachePoint: ttl ? { type: 'default', ttl } : { type: 'default' } });

function input(
  modelId: string,
  sizes: { tools?: number; system?: number; document?: number },
): ConverseCommandInput {
  return {
    modelId,
    ...(sizes.tools
      ? {
          toolConfig: {
            tools: [
              { toolSpec: { name: 'search', description: text(sizes.tools), inputSchema: { json: {} } } },
            ],
          },
        }
      : {}),
    ...(sizes.system ? { system: [{ text: text(sizes.system) }] } : {}),
    messages: [
      {
        role: 'user',
        content: [
          ...(sizes.document
            ? [
                {
                  document: {
                    format: 'txt' as const,
                    name: 'manual',
                    source: { text: text(sizes.document) },
                  },
                },
              ]
            : []),
          { text: 'What does chapter 2 say?' },
        ],
      },
    ],
  };
}

describe('placeCachePoints', () => {
  it.each([
    ['anthropic.claude-3-7-sonnet-20250219-v1:0', 1024],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 1024],
    ['anthropic.claude-opus-4-20250514-v1:0', 1024],
    ['anthropic.claude-opus-4-1-20250805-v1:0', 1024],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 2048],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 4096],
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 4096],
    ['amazon.nova-pro-v1:0', 1000],
  ])('knows the minimum tokens per checkpoint of %s (%i)', (modelId, minimum) => {
    expect(cachePointModelOf(modelId)?.minimumTokens).toBe(minimum);
    const below = placeCachePoints(input(modelId, { system: minimum - 10 }));
    expect(below.system).toEqual([{ text: text(minimum - 10) }]);
    const above = placeCachePoints(input(modelId, { system: minimum + 10 }));
    expect(above.system).toEqual([{ text: text(minimum + 10) }, point()]);
  });

  it('places checkpoints after the tools (Claude only), the system prompt and the documents', () => {
    const claude = placeCachePoints(
      input('anthropic.claude-sonnet-4-20250514-v1:0', { tools: 1100, system: 1100, document: 1100 }),
    );
    expect(claude.toolConfig?.tools?.at(-1)).toEqual(point());
    expect(claude.system?.at(-1)).toEqual(point());
    expect(claude.messages?.[0]?.content?.map((block) => Object.keys(block)[0])).toEqual([
      'document',
      'cachePoint',
      'text',
    ]);
    const nova = planCachePoints(input('amazon.nova-lite-v1:0', { tools: 1100, system: 1100 }));
    expect(nova.input.toolConfig?.tools).toHaveLength(1);
    expect(nova.decisions[0]).toMatchObject({
      section: 'tools',
      placed: false,
      reason: /no checkpoint after its tools/,
    });
    // The tools' tokens still count toward the system prompt's checkpoint.
    expect(nova.decisions[1]).toMatchObject({ section: 'system', placed: true, tokens: expect.any(Number) });
    expect(nova.decisions[1]!.tokens).toBeGreaterThan(2200);
  });

  it('counts tokens since the previous checkpoint, so short segments wait for more', () => {
    const plan = planCachePoints(
      input('anthropic.claude-3-7-sonnet-20250219-v1:0', { tools: 600, system: 600, document: 2000 }),
    );
    expect(plan.decisions.map((decision) => [decision.section, decision.placed])).toEqual([
      ['tools', false],
      ['system', true],
      ['documents', true],
    ]);
  });

  it('never places more than four checkpoints, counting those already there', () => {
    const base = input('anthropic.claude-sonnet-4-20250514-v1:0', {
      tools: 1100,
      system: 1100,
      document: 1100,
    });
    const crowded: ConverseCommandInput = {
      ...base,
      messages: [
        ...(base.messages ?? []),
        { role: 'assistant', content: [{ text: 'a' }, point() as never] },
        { role: 'user', content: [{ text: 'b' }, point() as never] },
      ],
    };
    const plan = planCachePoints(crowded);
    expect(plan.decisions.filter((decision) => decision.placed)).toHaveLength(2);
    expect(plan.decisions.at(-1)?.reason).toMatch(/at most 4/);
  });

  it('puts longer TTLs first, and only for models that take a TTL', () => {
    const modelId = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
    const placed = placeCachePoints(input(modelId, { tools: 4200, system: 4200, document: 4200 }), {
      ttl: { tools: '5m', system: '1h', documents: '5m' },
    });
    expect(placed.toolConfig?.tools?.at(-1)).toEqual(point('1h'));
    expect(placed.system?.at(-1)).toEqual(point('1h'));
    expect(placed.messages?.[0]?.content?.[1]).toEqual(point('5m'));
    const noTtl = placeCachePoints(input('anthropic.claude-3-7-sonnet-20250219-v1:0', { system: 1100 }), {
      ttl: '1h',
    });
    expect(noTtl.system?.at(-1)).toEqual(point());
  });

  it('takes an injected token estimate and minimum', () => {
    const modelId = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
    const words = placeCachePoints(input(modelId, { system: 300 }), {
      estimateTokens: (value) => value.length,
    });
    expect(words.system?.at(-1)).toEqual(point());
    const strict = placeCachePoints(input(modelId, { system: 1100 }), { minimumTokens: 5000 });
    expect(strict.system).toHaveLength(1);
  });

  it('returns a new input and never changes the one given; unknown models come back unchanged', () => {
    const original = input('anthropic.claude-sonnet-4-20250514-v1:0', {
      tools: 1100,
      system: 1100,
      document: 1100,
    });
    const snapshot = structuredClone(original);
    const placed = placeCachePoints(original);
    expect(original).toEqual(snapshot);
    expect(placed).not.toBe(original);
    const unknown = input('meta.llama3-3-70b-instruct-v1:0', { system: 5000 });
    const same = placeCachePoints(unknown);
    expect(same).toEqual(unknown);
    expect(planCachePoints(unknown).model).toBeUndefined();
  });

  it('does not add a checkpoint where one already is', () => {
    const base = input('anthropic.claude-sonnet-4-20250514-v1:0', { system: 1100 });
    const marked = { ...base, system: [...(base.system ?? []), point() as never] };
    expect(placeCachePoints(marked).system).toHaveLength(2);
  });

  it('refuses a TTL Bedrock does not know', () => {
    expect(() => placeCachePoints(input('amazon.nova-lite-v1:0', {}), { ttl: '2h' as never })).toThrow(/ttl/);
  });
});
