import { deriveKey } from '@prompt-cache/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solution } from '../solution-switch.ts';
import type { ChatRequest } from './exercise.ts';

const { selectKeyFields } = await solution<typeof import('./exercise.ts')>('02-key-design', import.meta.url);
const key = (request: ChatRequest) => deriveKey(request, { select: selectKeyFields });

const chat = fc.record({
  model: fc.constantFrom('amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0'),
  messages: fc.array(
    fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), text: fc.string() }),
    {
      minLength: 1,
    },
  ),
  temperature: fc.double({ min: 0, max: 1, noNaN: true }),
  maxTokens: fc.integer({ min: 1, max: 4096 }),
  userId: fc.string(),
  traceId: fc.uuid(),
  stream: fc.boolean(),
});

describe('exercise 2: your key strategy', () => {
  it('ignores who asked, the trace id and streaming', () => {
    fc.assert(
      fc.property(chat, fc.string(), fc.uuid(), (request, userId, traceId) => {
        expect(key({ ...request, userId, traceId, stream: !request.stream })).toBe(key(request));
      }),
    );
  });

  it('changes with the model, the messages, the temperature and maxTokens', () => {
    fc.assert(
      fc.property(chat, (request) => {
        const otherModel =
          request.model === 'amazon.nova-lite-v1:0' ? 'amazon.nova-pro-v1:0' : 'amazon.nova-lite-v1:0';
        expect(key({ ...request, model: otherModel })).not.toBe(key(request));
        expect(key({ ...request, messages: [...request.messages, { role: 'user', text: 'and?' }] })).not.toBe(
          key(request),
        );
        expect(key({ ...request, temperature: request.temperature + 0.5 })).not.toBe(key(request));
        expect(key({ ...request, maxTokens: request.maxTokens + 1 })).not.toBe(key(request));
      }),
    );
  });
});
