import { describe, expect, it } from 'vitest';
import { composeAnswer, extractTopic, SIMULATED_LABEL, sampleFromSchema } from './answers.js';
import { createSeededRandom } from './deterministic-random.js';
import { splitIntoChunks, truncateToTokens } from './tokens.js';

describe('answers', () => {
  it('extracts the topic of a question', () => {
    expect(extractTopic('How does TTL work in Milvus?')).toBe('TTL in Milvus');
    expect(extractTopic('What is prompt caching?')).toBe('prompt caching');
    expect(extractTopic('Can you please explain cache stampedes?')).toBe('cache stampedes');
    expect(extractTopic('I run Redis. Why is my hit rate low?')).toBe('my hit rate low');
    expect(extractTopic('   ')).toBe('this topic');
  });

  it('composes labelled answers that depend only on the seed and question', () => {
    const first = composeAnswer('What is an LRU cache?', createSeededRandom('seed'));
    expect(first.startsWith(SIMULATED_LABEL)).toBe(true);
    expect(first).toContain('an LRU cache');
    expect(composeAnswer('What is an LRU cache?', createSeededRandom('seed'))).toBe(first);
    expect(composeAnswer('What is an LRU cache?', createSeededRandom('other seed'))).not.toBe(first);
  });

  it('truncates at a word boundary and keeps the label', () => {
    const text = `${SIMULATED_LABEL}one two three four five six seven eight nine ten`;
    const cut = truncateToTokens(text, 6);
    expect(cut.length).toBeLessThanOrEqual(24);
    expect(text.startsWith(cut)).toBe(true);
    expect(truncateToTokens(text, 1, SIMULATED_LABEL).startsWith(SIMULATED_LABEL)).toBe(true);
  });

  it('splits text into chunks that join back exactly', () => {
    const text = `${SIMULATED_LABEL}a  b c\nd e f g`;
    const random = createSeededRandom('x');
    const chunks = splitIntoChunks(text, () => random.integer(2, 4));
    expect(chunks.join('')).toBe(text);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('samples tool input that fits a JSON Schema', () => {
    const random = createSeededRandom('schema');
    const value = sampleFromSchema(
      {
        type: 'object',
        properties: {
          query: { type: 'string' },
          limit: { type: 'integer', minimum: 1, maximum: 5 },
          exact: { type: 'boolean' },
          tags: { type: 'array', items: { type: 'string' } },
          mode: { enum: ['fast', 'slow'] },
        },
      },
      'caching',
      random,
    ) as Record<string, unknown>;
    expect(value.query).toBe('caching');
    expect(value.limit).toBeGreaterThanOrEqual(1);
    expect(value.limit).toBeLessThanOrEqual(5);
    expect(typeof value.exact).toBe('boolean');
    expect(value.tags).toEqual(['caching']);
    expect(['fast', 'slow']).toContain(value.mode);
  });
});
