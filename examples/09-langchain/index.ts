// Module 9: LangChain.js. ChatBedrockConverse on the AWS SDK's own client, answered by the local Bedrock simulator.
// The recommended path caches the client (invoke and stream, images keyed by their bytes); LangChain's own cache
// slot (a BaseCache over a prompt-cache store) keys by text only, which the last step shows.
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import { HumanMessage } from '@langchain/core/messages';
import { withPromptCache } from '@prompt-cache/bedrock';
import { createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { PromptCacheLangChainCache } from '@prompt-cache/langchain';
import { createMemoryStore } from '@prompt-cache/store-memory';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';

const simulator = createBedrockSimulator({
  latency: process.env.PROMPT_CACHE_FAST_EXAMPLES ? 0 : { firstTokenMs: 500, perTokenMs: 5 },
});
const { url } = await simulator.listen({ port: 0 });
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' }; // never look for real credentials here
const newClient = () =>
  new BedrockRuntimeClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
const chat = (options: { client: BedrockRuntimeClient; cache?: PromptCacheLangChainCache }) =>
  new ChatBedrockConverse({ model: 'amazon.nova-lite-v1:0', region: 'us-east-1', credentials, ...options });

const pixel = (base64: string) =>
  new HumanMessage({
    content: [
      { type: 'text', text: 'What colour is this pixel?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${base64}` } },
    ],
  });
const RED =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const BLUE =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPj/HwADBwIAMCbHYQAAAABJRU5ErkJggg==';

const clients: BedrockRuntimeClient[] = [];
try {
  console.log('1. The recommended path: a withPromptCache client in ChatBedrockConverse');
  const client = newClient();
  clients.push(client);
  withPromptCache(client, { store: createMemoryStore() });
  const model = chat({ client });
  await model.invoke('What is a cache?');
  await model.invoke('What is a cache?');
  console.log(`  invoke twice: simulator calls ${simulator.calls.length}`);
  for (let round = 0; round < 2; round++) for await (const _ of await model.stream('Stream about caches.'));
  console.log(`  stream twice: simulator calls ${simulator.calls.length}`);
  await model.invoke([pixel(RED)]);
  await model.invoke([pixel(BLUE)]);
  console.log(
    `  a red pixel, then a blue one: simulator calls ${simulator.calls.length} (each image asked once)`,
  );

  console.log("\n2. LangChain's own cache slot, with a prompt-cache store behind it");
  simulator.clearCalls();
  const other = newClient();
  clients.push(other);
  const cache = new PromptCacheLangChainCache({ store: createMemoryStore() });
  const cachedByText = chat({ client: other, cache });
  await cachedByText.invoke('What is a cache?');
  await cachedByText.invoke('What is a cache?');
  console.log(`  invoke twice: simulator calls ${simulator.calls.length}`);
  await cachedByText.invoke([pixel(RED)]);
  await cachedByText.invoke([pixel(BLUE)]);
  console.log(
    `  a red pixel, then a blue one: simulator calls ${simulator.calls.length} (the blue pixel got the red answer: LangChain keys text only)`,
  );
} finally {
  for (const client of clients) client.destroy();
  await simulator.close();
}
