import { createHash } from 'node:crypto';
import type { ModelCallOptions, ModelIdentity } from './model-call.js';

/** What the key is derived from: the call options that change the answer, and who answers. */
export interface KeyMaterial {
  /** `generate` and `stream` keep different shapes, so they never share an entry. */
  operation: 'generate' | 'stream';
  /** `'v3'` (ai 6) or `'v4'` (ai 7): their results differ in shape, so the two never share an entry. */
  specificationVersion: string;
  provider: string;
  modelId: string;
  options: Record<string, unknown>;
}

// Left out: they change how a call travels, not what the model answers.
const IGNORED_OPTIONS = new Set(['abortSignal', 'headers']);

/**
 * The key material of one model call. File and image parts are hashed as bytes, so the same image sent as a
 * `Uint8Array` or as base64 text gives one key, and two different images never share one.
 * @example explainKey(keyMaterialOf({ operation: 'generate', params, model }), { namespace: 'ai-sdk' })
 */
export function keyMaterialOf(call: {
  operation: 'generate' | 'stream';
  params: ModelCallOptions;
  model: ModelIdentity;
}): KeyMaterial {
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(call.params)) {
    if (IGNORED_OPTIONS.has(name) || value === undefined) continue;
    options[name] = name === 'prompt' ? hashFileParts(value) : value;
  }
  const { specificationVersion, provider, modelId } = call.model;
  return { operation: call.operation, specificationVersion, provider, modelId, options };
}

function hashFileParts(prompt: unknown): unknown {
  if (!Array.isArray(prompt)) return prompt;
  return prompt.map((message) =>
    Array.isArray(message?.content)
      ? { ...message, content: message.content.map((part: unknown) => fileDigest(part)) }
      : message,
  );
}

function fileDigest(part: unknown): unknown {
  const file = part as { type?: string; data?: unknown };
  if (file?.type !== 'file') return part;
  const { data, ...rest } = file;
  // ai 6 (V3) gives the bytes, base64 text or a URL; ai 7 (V4) wraps them: { type: 'data', data } or { type: 'url', url }.
  const wrapped = data as { type?: string; data?: unknown; url?: unknown };
  const url = data instanceof URL ? data : wrapped?.type === 'url' ? wrapped.url : undefined;
  if (url instanceof URL) return { ...rest, url: url.href };
  const content = wrapped?.type === 'data' ? wrapped.data : data;
  const bytes =
    content instanceof Uint8Array
      ? content
      : typeof content === 'string'
        ? Buffer.from(content, 'base64')
        : undefined;
  if (!bytes) return part; // a provider reference or inline text: its own value is the key
  return { ...rest, sha256: createHash('sha256').update(bytes).digest('hex') };
}
