import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { summarizeConverseOutput, summarizeConverseStream } from './converse-response.js';
import { summarizeInvokeBody, summarizeInvokeStream } from './native-response.js';
import { type BedrockOperation, streamMemberOf } from './operations.js';
import { objectOf, type RecordedEvent, type RecordedResponse } from './recorded-response.js';

/** The header the Bedrock simulator puts on every answer. */
const SIMULATOR_HEADER = 'x-bedrock-simulator';

/** What a recording needs to know about the call besides its output. */
export interface RecordContext {
  /** The model id of the request. */
  modelId: string | undefined;
  /** The `provider` option; when absent, the answer's headers tell `simulator` from `bedrock`. */
  provider: string | undefined;
  /** The raw HTTP response the SDK received (for InvokeModel's usage headers and the simulator's label). */
  httpResponse: unknown;
}

function headersOf(httpResponse: unknown): Record<string, unknown> | undefined {
  return objectOf(objectOf(httpResponse)?.headers);
}

function providerOf(context: RecordContext): string {
  if (context.provider) return context.provider;
  return headersOf(context.httpResponse)?.[SIMULATOR_HEADER] === 'true' ? 'simulator' : 'bedrock';
}

/** Records a Converse or InvokeModel output as plain data. */
export function recordUnary(
  operation: BedrockOperation,
  output: Record<string, unknown>,
  context: RecordContext,
): RecordedResponse {
  const { $metadata: _metadata, ...fields } = output;
  const provider = providerOf(context);
  if (operation !== 'InvokeModel') {
    return { operation, provider, fields, summary: summarizeConverseOutput(fields) };
  }
  const { body, ...rest } = fields;
  const bytes = body instanceof Uint8Array ? body : new Uint8Array();
  const summary = summarizeInvokeBody(bytes, rest.contentType, headersOf(context.httpResponse));
  if (!(body instanceof Uint8Array))
    Object.assign(summary, { complete: false, problem: 'the answer has no body' });
  return { operation, provider, fields: rest, body: bytes, summary };
}

/** Records a finished stream: the output fields besides the stream, and every event. */
export function recordStream(
  operation: BedrockOperation,
  output: Record<string, unknown>,
  events: RecordedEvent[],
  context: RecordContext,
): RecordedResponse {
  const member = streamMemberOf(operation) ?? 'stream';
  const { $metadata: _metadata, [member]: _stream, ...fields } = output;
  const summary =
    operation === 'ConverseStream'
      ? summarizeConverseStream(events)
      : summarizeInvokeStream(events, context.modelId);
  return { operation, provider: providerOf(context), fields, events, summary };
}

/** The `$metadata` of an answer that came from the cache: no HTTP attempt was made. */
export function cachedMetadata(): Record<string, unknown> {
  return { httpStatusCode: 200, attempts: 0, totalRetryDelay: 0 };
}

/**
 * Rebuilds the SDK output from a recorded answer: the same fields, an InvokeModel body of the SDK's own
 * `Uint8ArrayBlobAdapter` type (so `transformToString()` works), and streams as a replay.
 * `record` must be the caller's own copy: its bytes are handed out as they are.
 */
export function outputFromRecord(
  record: RecordedResponse,
  replay: (events: readonly RecordedEvent[]) => AsyncIterable<unknown>,
): Record<string, unknown> {
  const member = streamMemberOf(record.operation);
  if (member) return { ...record.fields, [member]: replay(record.events ?? []), $metadata: cachedMetadata() };
  if (record.operation === 'InvokeModel') {
    const body = Uint8ArrayBlobAdapter.mutate(record.body ?? new Uint8Array());
    return { ...record.fields, body, $metadata: cachedMetadata() };
  }
  return { ...record.fields, $metadata: cachedMetadata() };
}
