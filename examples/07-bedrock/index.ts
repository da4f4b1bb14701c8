// Module 7: Bedrock. The AWS SDK's own BedrockRuntimeClient, unmodified, with the cache added to its middleware
// stack. It talks to the local Bedrock simulator (no AWS, no credentials, no cost), so every answer starts with
// "[simulated]". Then Bedrock's own prompt cache (cachePoint), and how the two caches combine.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { cacheInfo, withCacheControl, withPromptCache } from '@prompt-cache/bedrock';
import { planCachePoints } from '@prompt-cache/bedrock/cache-points';
import { createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { createMemoryStore } from '@prompt-cache/store-memory';

// Keep the SDK quiet and off the network: no Node-version notice, no EC2 metadata lookups.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';

const NOVA = 'amazon.nova-lite-v1:0';
const CLAUDE = 'anthropic.claude-3-7-sonnet-20250219-v1:0';

const simulator = createBedrockSimulator({
  latency: process.env.PROMPT_CACHE_FAST_EXAMPLES ? 0 : { firstTokenMs: 500, perTokenMs: 5 },
});
const { url } = await simulator.listen({ port: 0 });
const client = new BedrockRuntimeClient({
  endpoint: url, // the simulator; leave it out to talk to real Bedrock
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, // never look for real credentials here
  maxAttempts: 1,
});
const cached = withPromptCache(client, { store: createMemoryStore(), ttlSeconds: 3600 });

const ask = (text: string, modelId = NOVA): ConverseCommandInput => ({
  modelId,
  messages: [{ role: 'user', content: [{ text }] }],
});
const formatMs = (ms: number) => (ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(3)} ms`);
const line = (label: string, response: object, extra = '') => {
  const info = cacheInfo(response)!;
  console.log(
    `  ${label.padEnd(24)} ${info.status.toUpperCase().padEnd(6)} ${formatMs(info.latencyMs).padStart(9)}  simulator calls so far: ${simulator.calls.length}${extra}`,
  );
  return info;
};

try {
  console.log(`The Bedrock simulator listens on ${url}; the client is the AWS SDK's own.\n`);

  console.log('1. Converse: client.send(new ConverseCommand(input)), twice');
  const input = ask('How does TTL work in Redis?');
  line('first call', await client.send(new ConverseCommand(input)));
  const hit = line('same input again', await client.send(new ConverseCommand(input)));
  console.log(
    `  the hit saved ${formatMs(hit.saved.ms)}, ${hit.saved.tokens} tokens and $${hit.saved.usd.toFixed(7)}`,
  );

  console.log('\n2. ConverseStream: a miss streams live while it is recorded; a hit replays the events');
  for (const label of ['first stream', 'same stream again']) {
    const response = await client.send(new ConverseStreamCommand(ask('Explain cache stampedes.')));
    let events = 0;
    let text = '';
    for await (const event of response.stream ?? []) {
      events++;
      text += event.contentBlockDelta?.delta?.text ?? '';
    }
    await cacheInfo(response)?.settled; // a live stream is stored once it has ended
    line(label, response, `  (${events} events, ${text.length} characters)`);
  }

  console.log('\n3. Per-call controls with withCacheControl (the request sent to Bedrock stays the same)');
  line('mode: bypass', await client.send(withCacheControl(new ConverseCommand(input), { mode: 'bypass' })));
  line('mode: refresh', await client.send(withCacheControl(new ConverseCommand(input), { mode: 'refresh' })));

  console.log('\n4. What is never cached: errors, partial streams, guardrail blocks, truncated answers');
  const truncated = await client.send(
    new ConverseCommand({ ...ask('Write a long essay on caching.'), inferenceConfig: { maxTokens: 20 } }),
  );
  const notStored = line('maxTokens: 20', truncated);
  console.log(`  stored: ${notStored.stored}, because: ${notStored.notStoredDetail}`);

  console.log("\n5. Bedrock's own prompt cache: placeCachePoints marks the long, stable prefix");
  const manual = 'Section 4.2: a cached answer must be refreshed when the source document changes. '.repeat(
    70,
  );
  const question = (text: string) =>
    planCachePoints({ ...ask(text, CLAUDE), system: [{ text: `Answer from this manual.\n${manual}` }] });
  const plan = question('What does section 4.2 say?');
  for (const decision of plan.decisions) {
    console.log(
      `  ${decision.section.padEnd(9)} about ${decision.tokens} tokens: ${decision.placed ? 'cachePoint placed' : `not placed (${decision.reason})`}`,
    );
  }
  const usageLine = (label: string, input: ConverseCommandInput) =>
    client.send(new ConverseCommand(input)).then((response) => {
      const usage = response.usage;
      const info = line(label, response);
      const tokens =
        info.status === 'hit'
          ? 'no call at all: 0 tokens billed'
          : `input ${usage?.inputTokens}, cache write ${usage?.cacheWriteInputTokens ?? 0}, cache read ${usage?.cacheReadInputTokens ?? 0}`;
      console.log(
        `  ${''.padEnd(24)} ${tokens}, cost $${(info.status === 'hit' ? 0 : (info.meta.costUsd ?? 0)).toFixed(6)}`,
      );
    });
  await usageLine('question 1', plan.input);
  await usageLine('question 2, same manual', question('Who must refresh a cached answer?').input);
  await usageLine('question 2 again', question('Who must refresh a cached answer?').input);
  const without = {
    ...ask('What does section 4.2 say?', CLAUDE),
    system: [{ text: `Answer from this manual.\n${manual}` }],
  };
  console.log(
    `  cachePoint blocks leave the response cache's key alone: ${cached.keyFor(new ConverseCommand(without)) === cached.keyFor(new ConverseCommand(plan.input)) ? 'same key' : 'different keys'}`,
  );

  const stats = cached.stats.snapshot();
  console.log(
    `\nstatistics: hits ${stats.hits}, misses ${stats.misses}, bypasses ${stats.bypasses}, not stored ${stats.skipped}, simulator calls ${simulator.calls.length}`,
  );
} finally {
  await cached.close();
  client.destroy();
  await simulator.close();
}
