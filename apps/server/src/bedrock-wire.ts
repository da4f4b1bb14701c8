import type {
  ConverseCommandInput,
  InvokeModelCommandInput,
  InvokeModelWithResponseStreamCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import type { HttpRequest } from '@prompt-cache/bedrock-simulator';
import { encodeEvent, encodeException } from '@prompt-cache/bedrock-simulator';
import { validationError } from './errors.js';
import { headerOf } from './http-io.js';

// The gateway speaks Bedrock's wire format on both sides and the SDK in the middle (so the cache, the signing and
// the credentials are the SDK's and @prompt-cache/bedrock's). These functions turn wire requests into SDK inputs
// and SDK outputs back into wire responses: blobs are base64 on the wire and Uint8Array in the SDK.

/** Fields of a Converse request body that hold documents (free JSON): never touched. */
const DOCUMENT_FIELDS = new Set(['input', 'json', 'additionalModelRequestFields', 'inputSchema']);

/** Top-level fields a Converse request may have. Others are refused, as Bedrock does. */
const CONVERSE_FIELDS = new Set([
  'messages',
  'system',
  'inferenceConfig',
  'toolConfig',
  'guardrailConfig',
  'additionalModelRequestFields',
  'promptVariables',
  'additionalModelResponseFieldPaths',
  'requestMetadata',
  'performanceConfig',
  'serviceTier',
  'outputConfig',
]);

/**
 * A Converse / ConverseStream SDK input from the model id of the path and the JSON body. The shape is checked
 * enough that the SDK can serialize it (Bedrock checks the rest): an unknown field, messages that are not
 * `{ role, content: [...] }`, or a field of the wrong kind is a 400 ValidationException.
 */
export function converseInputFromWire(modelId: string, body: Record<string, unknown>): ConverseCommandInput {
  for (const field of Object.keys(body)) {
    if (!CONVERSE_FIELDS.has(field)) {
      throw validationError(
        `[server] unknown field ${JSON.stringify(field.slice(0, 80))} in the Converse request; the fields are ${[...CONVERSE_FIELDS].join(', ')}`,
      );
    }
  }
  if (body.messages === undefined && body.promptVariables === undefined) {
    throw validationError(
      '[server] the Converse request has no "messages"; send {"messages":[{"role":"user","content":[{"text":"..."}]}]}',
    );
  }
  if (body.messages !== undefined) {
    if (!Array.isArray(body.messages)) throw validationError('[server] "messages" must be an array');
    body.messages.forEach((message, index) => {
      const entry = message as { role?: unknown; content?: unknown } | null;
      if (
        entry === null ||
        typeof entry !== 'object' ||
        Array.isArray(entry) ||
        typeof entry.role !== 'string'
      ) {
        throw validationError(
          `[server] messages[${index}] must be {"role":"user"|"assistant","content":[...]}`,
        );
      }
      checkBlocks(entry.content, `messages[${index}].content`);
    });
  }
  if (body.system !== undefined) checkBlocks(body.system, 'system');
  for (const field of [
    'inferenceConfig',
    'toolConfig',
    'guardrailConfig',
    'additionalModelRequestFields',
    'promptVariables',
    'requestMetadata',
    'performanceConfig',
    'serviceTier',
    'outputConfig',
  ]) {
    const value = body[field];
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw validationError(`[server] "${field}" must be an object`);
    }
  }
  if (body.additionalModelResponseFieldPaths !== undefined) {
    const paths = body.additionalModelResponseFieldPaths;
    if (!Array.isArray(paths) || paths.some((path) => typeof path !== 'string')) {
      throw validationError('[server] "additionalModelResponseFieldPaths" must be an array of strings');
    }
  }
  return { ...(blobsFromWire(body) as Record<string, unknown>), modelId } as ConverseCommandInput;
}

function checkBlocks(blocks: unknown, where: string): void {
  if (!Array.isArray(blocks)) throw validationError(`[server] "${where}" must be an array of content blocks`);
  blocks.forEach((block, index) => {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      throw validationError(
        `[server] ${where}[${index}] must be a content block object such as {"text":"..."}`,
      );
    }
    for (const [member, value] of Object.entries(block)) {
      if (member === 'text') {
        if (typeof value !== 'string')
          throw validationError(`[server] ${where}[${index}].text must be a string`);
      } else if (value === null || typeof value !== 'object') {
        throw validationError(`[server] ${where}[${index}].${member.slice(0, 40)} must be an object`);
      }
    }
  });
}

/** Base64 `bytes` of media sources and `redactedContent` become bytes; documents are left alone. */
function blobsFromWire(value: unknown, key = ''): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => blobsFromWire(item));
  const result: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value as Record<string, unknown>)) {
    if (DOCUMENT_FIELDS.has(field)) result[field] = item;
    else if (
      typeof item === 'string' &&
      ((field === 'bytes' && key === 'source') || field === 'redactedContent')
    )
      result[field] = Uint8Array.from(Buffer.from(item, 'base64'));
    else result[field] = blobsFromWire(item, field);
  }
  return result;
}

/** An SDK output (or stream event) as wire JSON: bytes as base64, dates as epoch seconds, no `$metadata`. */
export function outputToWire(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(outputToWire);
  const result: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value as Record<string, unknown>)) {
    if (field === '$metadata' || item === undefined) continue;
    result[field] = outputToWire(item);
  }
  return result;
}

/** The wire body of a Converse answer. */
export function converseOutputToWire(output: Record<string, unknown>): Record<string, unknown> {
  return outputToWire(output) as Record<string, unknown>;
}

/**
 * One SDK stream event (`{ contentBlockDelta: {...} }`, `{ chunk: { bytes } }`) as an event-stream frame whose
 * `:event-type` is the member name and whose body is the member's own fields.
 */
export function eventToFrame(event: Record<string, unknown>): Uint8Array | undefined {
  const unknown = event.$unknown as [string, unknown] | undefined;
  if (Array.isArray(unknown)) return encodeEvent(unknown[0], outputToWire(unknown[1]));
  for (const [member, body] of Object.entries(event)) {
    if (body === undefined) continue;
    return encodeEvent(member, outputToWire(body));
  }
  return undefined;
}

/**
 * The exception frame for an error thrown while a stream was read: `:exception-type` is the error's name with
 * a lower-case first letter (`modelStreamErrorException`), as Bedrock sends it.
 */
export function errorToFrame(error: unknown): Uint8Array {
  const candidate = error as { name?: unknown; message?: unknown; $fault?: unknown } | null;
  const serviceError = candidate?.$fault !== undefined && typeof candidate?.name === 'string';
  const name = serviceError ? (candidate!.name as string) : 'InternalServerException';
  const message =
    serviceError && typeof candidate?.message === 'string'
      ? candidate.message
      : '[server] the stream failed part way; nothing was cached';
  return encodeException(name.charAt(0).toLowerCase() + name.slice(1), { message });
}

/** The request headers InvokeModel takes its parameters from (and the response headers it answers with). */
export const INVOKE_HEADERS = {
  accept: 'accept',
  streamAccept: 'x-amzn-bedrock-accept',
  streamContentType: 'x-amzn-bedrock-content-type',
  trace: 'x-amzn-bedrock-trace',
  guardrailIdentifier: 'x-amzn-bedrock-guardrailidentifier',
  guardrailVersion: 'x-amzn-bedrock-guardrailversion',
  performanceConfigLatency: 'x-amzn-bedrock-performanceconfig-latency',
  serviceTier: 'x-amzn-bedrock-service-tier',
  requestMetadata: 'x-amzn-bedrock-request-metadata',
} as const;

/**
 * An InvokeModel / InvokeModelWithResponseStream SDK input from the path's model id, the raw body and the
 * headers (content type, accept, trace, guardrail, performance and service tier, request metadata).
 */
export function invokeInputFromWire(
  modelId: string,
  body: Buffer,
  request: HttpRequest,
  streaming: boolean,
): InvokeModelCommandInput & InvokeModelWithResponseStreamCommandInput {
  if (body.length === 0)
    throw validationError("[server] the InvokeModel request has no body; send the model's native JSON");
  const input: Record<string, unknown> = { modelId, body: Uint8Array.from(body) };
  const contentType = headerOf(request, 'content-type');
  input.contentType = contentType ?? 'application/json';
  const accept = headerOf(request, streaming ? INVOKE_HEADERS.streamAccept : INVOKE_HEADERS.accept);
  if (accept && accept !== '*/*') input.accept = accept;
  const fields = [
    'trace',
    'guardrailIdentifier',
    'guardrailVersion',
    'performanceConfigLatency',
    'serviceTier',
  ] as const;
  for (const field of fields) {
    const value = headerOf(request, INVOKE_HEADERS[field]);
    if (value !== undefined && value !== '') input[field] = value;
  }
  const metadata = requestMetadataOf(headerOf(request, INVOKE_HEADERS.requestMetadata));
  if (metadata) input.requestMetadata = metadata;
  return input as unknown as InvokeModelCommandInput & InvokeModelWithResponseStreamCommandInput;
}

/** The request metadata header: JSON, usually base64-encoded; anything unreadable is dropped. */
function requestMetadataOf(header: string | undefined): Record<string, string> | undefined {
  if (!header) return undefined;
  for (const text of [Buffer.from(header, 'base64').toString('utf8'), header]) {
    try {
      const value = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, string>;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/** Response headers of an InvokeModel answer. */
export function invokeOutputHeaders(
  output: Record<string, unknown>,
  streaming: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const contentType = typeof output.contentType === 'string' ? output.contentType : undefined;
  if (streaming) {
    if (contentType) headers[INVOKE_HEADERS.streamContentType] = contentType;
  } else {
    headers['content-type'] = contentType ?? 'application/json';
  }
  if (typeof output.performanceConfigLatency === 'string')
    headers[INVOKE_HEADERS.performanceConfigLatency] = output.performanceConfigLatency;
  if (typeof output.serviceTier === 'string') headers[INVOKE_HEADERS.serviceTier] = output.serviceTier;
  return headers;
}
