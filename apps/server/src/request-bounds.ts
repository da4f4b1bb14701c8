import { validationError } from './errors.js';

/** The deepest JSON a request body may nest: far beyond any real request, well below the stack's limit. */
export const MAX_JSON_DEPTH = 128;

/** Refuses (400) a parsed JSON value nested deeper than {@link MAX_JSON_DEPTH}; walks without recursion. */
export function requireJsonDepth(value: unknown): void {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: item, depth } = pending.pop() as { value: unknown; depth: number };
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw validationError(
        `[server] the request body nests more than ${MAX_JSON_DEPTH} levels deep; flatten it`,
      );
    }
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth: depth + 1 });
    }
  }
}

// Bedrock's model id forms: a base id or inference profile (`anthropic.claude-3-5-haiku-20241022-v1:0`,
// `us.amazon.nova-lite-v1:0`), a provisioned or imported model's bare id, and an ARN
// (`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic...`).
const BARE_MODEL_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._:-]{0,254})$/;
const MODEL_ARN =
  /^arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]{1,20}:(?:\d{12})?:[a-z-]{1,40}\/[A-Za-z0-9][A-Za-z0-9._:-]{0,254}(?:\/[A-Za-z0-9][A-Za-z0-9._:-]{0,254})?$/;

/** Refuses (400) a model id that is neither a Bedrock model id nor a Bedrock ARN, e.g. `../../etc/passwd`. */
export function requireModelId(modelId: string): void {
  if (BARE_MODEL_ID.test(modelId) && !modelId.includes('..')) return;
  if (MODEL_ARN.test(modelId) && !modelId.includes('..')) return;
  throw validationError(
    `[server] ${JSON.stringify(modelId.slice(0, 80))} is not a Bedrock model id or ARN; use an id such as amazon.nova-lite-v1:0`,
  );
}
