// Module 9: the Vercel AI SDK. The AI SDK's own Bedrock provider, its model wrapped with prompt-cache's middleware,
// answered by the local Bedrock simulator (no AWS, no cost). The second identical call never reaches the model.
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { promptCacheMiddleware } from '@prompt-cache/ai-sdk';
import { createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { generateText, streamText, wrapLanguageModel } from 'ai';

const simulator = createBedrockSimulator({
  latency: process.env.PROMPT_CACHE_FAST_EXAMPLES ? 0 : { firstTokenMs: 500, perTokenMs: 5 },
});
const { url } = await simulator.listen({ port: 0 });
// baseURL points the provider at the simulator; leave it out (and the static keys) to talk to real Bedrock.
const bedrock = createAmazonBedrock({
  region: 'us-east-1',
  accessKeyId: 'local',
  secretAccessKey: 'local',
  baseURL: url,
});

const middleware = promptCacheMiddleware({ store: createMemoryStore(), ttlSeconds: 3600 });
const model = wrapLanguageModel({ model: bedrock('amazon.nova-lite-v1:0'), middleware });

const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
};

try {
  console.log('1. generateText, twice');
  for (const label of ['first call', 'same call again']) {
    const { value, ms } = await timed(() => generateText({ model, prompt: 'How does TTL work in Redis?' }));
    console.log(
      `  ${label.padEnd(16)} ${ms.toFixed(1).padStart(7)} ms  simulator calls: ${simulator.calls.length}  "${value.text.slice(0, 40)}..."`,
    );
  }

  console.log('\n2. streamText, twice: the first streams live while it is recorded, the second is replayed');
  for (const label of ['first stream', 'same stream again']) {
    const { value, ms } = await timed(async () => {
      let parts = 0;
      const result = streamText({ model, prompt: 'Explain cache stampedes.' });
      for await (const _ of result.textStream) parts++;
      return parts;
    });
    console.log(
      `  ${label.padEnd(16)} ${ms.toFixed(1).padStart(7)} ms  simulator calls: ${simulator.calls.length}  ${value} text parts`,
    );
  }

  const stats = middleware.cache.stats.snapshot();
  console.log(`\nhits ${stats.hits}, misses ${stats.misses}; model calls: ${simulator.calls.length}`);
} finally {
  await simulator.close();
}
