// One of several processes that share a Redis: a real SDK client with the middleware and the Redis store (and so
// its lock). It prints "ready" once set up, sends one Converse call (or, with "stream", one ConverseStream call read
// to its end) when the parent writes "go", prints the answer as JSON and exits.
// Arguments: simulator URL, Redis URL, key prefix, and optionally "stream".
import { createInterface } from 'node:readline';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { createRedisStore } from '@prompt-cache/store-redis';
import { cacheInfo } from '../src/cache-info.js';
import { withPromptCache } from '../src/with-prompt-cache.js';

const [endpoint, url, keyPrefix, mode] = process.argv.slice(2) as [string, string, string, string?];
const client = new BedrockRuntimeClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});
const store = createRedisStore({ url, keyPrefix, commandTimeoutMs: 5_000 });
const cached = withPromptCache(client, { store });
await store.ping();
process.stdout.write('ready\n');

for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'go') continue;
  const input = {
    modelId: 'amazon.nova-lite-v1:0',
    messages: [{ role: 'user' as const, content: [{ text: 'One question, four processes at once' }] }],
  };
  let text: string | undefined;
  let info: ReturnType<typeof cacheInfo>;
  if (mode === 'stream') {
    const output = await client.send(new ConverseStreamCommand(input));
    text = '';
    for await (const event of output.stream ?? []) text += event.contentBlockDelta?.delta?.text ?? '';
    info = await cacheInfo(output)?.settled;
  } else {
    const output = await client.send(new ConverseCommand(input));
    text = output.output?.message?.content?.[0]?.text;
    info = cacheInfo(output);
  }
  process.stdout.write(
    `${JSON.stringify({ text, status: info?.status, coalesced: info?.coalesced === true })}\n`,
  );
  break;
}
await cached.close();
client.destroy();
