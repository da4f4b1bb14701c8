// Module 2: key design. Why do two requests that "look the same" miss each other, and how do you see it?
import { explainKey } from '@prompt-cache/core';

const asked = {
  modelId: 'amazon.nova-lite-v1:0',
  messages: [{ role: 'user', content: [{ text: 'How does TTL work in Milvus?' }] }],
  inferenceConfig: { temperature: 0.2, maxTokens: 300 },
  requestMetadata: { user: 'alice', traceId: 'a1' },
};
// The same request, built by other code: fields in another order, another user and trace id.
const reordered = {
  inferenceConfig: { maxTokens: 300, temperature: 0.2 },
  requestMetadata: { user: 'bob', traceId: 'b7' },
  messages: [{ content: [{ text: 'How does TTL work in Milvus?' }], role: 'user' }],
  modelId: 'amazon.nova-lite-v1:0',
};
// A user who typed it differently.
const retyped = {
  ...asked,
  messages: [{ role: 'user', content: [{ text: '  how does TTL work in milvus? ' }] }],
};

const show = (label: string, request: unknown, options?: Parameters<typeof explainKey>[1]) => {
  const explanation = explainKey(request, options);
  console.log(`${label.padEnd(34)} ${explanation.key.slice(0, 30)}…`);
  return explanation;
};

console.log('1. Field order and request metadata do not change the key:');
const first = show('  asked', asked);
show('  reordered, other user', reordered);
console.log(`  left out of the key: ${first.excluded.join(', ')}`);
console.log(`  canonical material: ${first.material}\n`);

console.log('2. Different text is a different key, until you normalize:');
show('  retyped (exact keys)', retyped);
show('  asked (normalized)', asked, { normalize: { fields: ['text'] } });
show('  retyped (normalized)', retyped, { normalize: { fields: ['text'] } });

console.log('\n3. Any change that can change the answer changes the key:');
show('  temperature 0.9', { ...asked, inferenceConfig: { ...asked.inferenceConfig, temperature: 0.9 } });
show('  another model', { ...asked, modelId: 'amazon.nova-pro-v1:0' });
console.log('\nA low hit rate usually means something dynamic got into the key. Compare the materials.');
