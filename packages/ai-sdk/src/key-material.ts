import { createHash } from 'node:crypto';
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';

/** What the key is derived from: the call options that change the answer, and who answers. */
export interface KeyMaterial {
  /** `generate` and `stream` keep different shapes, so they never share an entry. */
  operation: 'generate' | 'stream';
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
  params: LanguageModelV3CallOptions;
  model: { provider: string; modelId: string };
}): KeyMaterial {
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(call.params)) {
    if (IGNORED_OPTIONS.has(name) || value === undefined) continue;
    options[name] = name === 'prompt' ? hashFileParts(value) : value;
  }
  return { operation: call.operation, provider: call.model.provider, modelId: call.model.modelId, options };
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
  if (data instanceof URL) return { ...rest, url: data.href };
  const bytes =
    data instanceof Uint8Array ? data : typeof data === 'string' ? Buffer.from(data, 'base64') : undefined;
  if (!bytes) return part;
  return { ...rest, sha256: createHash('sha256').update(bytes).digest('hex') };
}
