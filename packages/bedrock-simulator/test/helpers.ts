import { BedrockRuntimeClient, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** A real SDK client pointed at the simulator: static credentials, no retries, loopback only. */
export function createTestClient(url: string, options: { http1?: boolean } = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...(options.http1 ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

/** Reads a ConverseStream to the end and assembles its parts. */
export async function collectConverseStream(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  let text = '';
  let reasoning = '';
  let toolInput = '';
  for await (const event of stream ?? []) {
    events.push(event);
    const delta = event.contentBlockDelta?.delta;
    if (delta?.text) text += delta.text;
    if (delta?.reasoningContent?.text) reasoning += delta.reasoningContent.text;
    if (delta?.toolUse?.input) toolInput += delta.toolUse.input;
  }
  const names = events.map((event) => Object.keys(event).find((key) => key !== '$unknown') ?? '?');
  return { events, names, text, reasoning, toolInput };
}

/** Decodes InvokeModelWithResponseStream chunks into the model's native JSON objects. */
export async function collectInvokeStream(
  stream: AsyncIterable<{ chunk?: { bytes?: Uint8Array } }> | undefined,
): Promise<Array<Record<string, unknown>>> {
  const chunks: Array<Record<string, unknown>> = [];
  for await (const event of stream ?? []) {
    if (event.chunk?.bytes) chunks.push(JSON.parse(Buffer.from(event.chunk.bytes).toString('utf8')));
  }
  return chunks;
}

/** A clock the test moves by hand. */
export function createManualClock(start = Date.UTC(2026, 10, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(milliseconds: number) {
      now += milliseconds;
    },
  };
}
