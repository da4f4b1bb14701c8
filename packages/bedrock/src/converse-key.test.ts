import { canonicalJson } from '@prompt-cache/core/store-kit';
import { describe, expect, it } from 'vitest';
import { keyMaterialOf } from './cache-request.js';
import { converseKeyMaterial } from './converse-key.js';

const point = { cachePoint: { type: 'default' as const } };

describe('converseKeyMaterial', () => {
  it('splits the model and parameters (scope) from what was said (prompt)', () => {
    const input = {
      modelId: 'amazon.nova-lite-v1:0',
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user' as const, content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 100, temperature: 0 },
      toolConfig: { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: {} } } }] },
      additionalModelRequestFields: { top_k: 5 },
      guardrailConfig: { guardrailIdentifier: 'gr', guardrailVersion: '1' },
      promptVariables: { name: { text: 'Ada' } },
      outputConfig: { textFormat: { type: 'json_schema' } },
      performanceConfig: { latency: 'optimized' as const },
      additionalModelResponseFieldPaths: ['/stop_sequence'],
      requestMetadata: { ticket: '1' },
      serviceTier: { type: 'priority' },
    };
    const { scope, prompt } = converseKeyMaterial(input as never);
    expect(Object.keys(scope).sort()).toEqual([
      'additionalModelRequestFields',
      'additionalModelResponseFieldPaths',
      'guardrailConfig',
      'inferenceConfig',
      'modelId',
      'outputConfig',
      'performanceConfig',
      'toolConfig',
    ]);
    expect(Object.keys(prompt).sort()).toEqual(['messages', 'promptVariables', 'system']);
  });

  it('removes cache points everywhere without changing the input, and copies nothing when there are none', () => {
    const input = {
      modelId: 'm',
      system: [{ text: 'S' }, point],
      messages: [
        { role: 'user' as const, content: [{ text: 'A' }, point] },
        { role: 'assistant' as const, content: [{ text: 'B' }] },
      ],
      toolConfig: {
        tools: [{ toolSpec: { name: 't', inputSchema: { json: {} } } }, point],
        toolChoice: { auto: {} },
      },
    };
    const snapshot = structuredClone(input);
    const { scope, prompt } = converseKeyMaterial(input as never);
    expect(input).toEqual(snapshot);
    expect(prompt.system).toEqual([{ text: 'S' }]);
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ text: 'A' }] },
      { role: 'assistant', content: [{ text: 'B' }] },
    ]);
    expect((prompt.messages as unknown[])[1]).toBe(input.messages[1]);
    expect(scope.toolConfig).toEqual({ tools: [input.toolConfig.tools[0]], toolChoice: { auto: {} } });
    const plain = { modelId: 'm', messages: [{ role: 'user' as const, content: [{ text: 'A' }] }] };
    expect(converseKeyMaterial(plain).prompt.messages).toBe(plain.messages);
  });

  it('keeps image bytes as bytes, for the core to hash', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const input = {
      modelId: 'm',
      messages: [
        { role: 'user' as const, content: [{ image: { format: 'png' as const, source: { bytes } } }] },
      ],
    };
    const material = keyMaterialOf({ operation: 'Converse', input }) as { prompt: { messages: unknown[] } };
    expect(canonicalJson(material)).toContain('#bytes(3,');
    expect(
      (material.prompt.messages[0] as { content: Array<{ image: { source: { bytes: unknown } } }> })
        .content[0]?.image.source.bytes,
    ).toBe(bytes);
  });

  it('names the operation in the key material, so Converse and ConverseStream entries never mix', () => {
    const input = { modelId: 'm', messages: [] };
    expect(keyMaterialOf({ operation: 'Converse', input })).not.toEqual(
      keyMaterialOf({ operation: 'ConverseStream', input }),
    );
  });
});
