import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';

/**
 * The two parts of a Converse request that can change its answer, kept apart so that a later
 * semantic-matching stage can compare prompts only among requests with the same scope.
 */
export interface ConverseKeyMaterial {
  /**
   * The model and every parameter: `modelId`, `inferenceConfig`, `toolConfig`, `additionalModelRequestFields`,
   * `guardrailConfig`, `outputConfig`, `performanceConfig` and `additionalModelResponseFieldPaths`.
   * Two requests can only share an answer when their scopes are equal.
   */
  scope: Record<string, unknown>;
  /** What was said: `system`, `messages` and `promptVariables` (the values a managed prompt is filled with). */
  prompt: Record<string, unknown>;
}

/** Parameter fields of a Converse request, in the order they are listed in the key material. */
const SCOPE_FIELDS = [
  'modelId',
  'inferenceConfig',
  'toolConfig',
  'additionalModelRequestFields',
  'guardrailConfig',
  'outputConfig',
  'performanceConfig',
  'additionalModelResponseFieldPaths',
] as const;

type ConverseLikeInput = Pick<ConverseCommandInput, 'modelId'> & Partial<ConverseCommandInput>;

/**
 * The key material of a Converse or ConverseStream request: exactly the fields that can change the answer.
 * - `requestMetadata` (labels for logs and billing) and `serviceTier` (priority and price, not content) are left out.
 * - `cachePoint` blocks (Bedrock's own prompt cache markers, in `system`, message content and
 *   `toolConfig.tools`) are removed: they change what a call costs, never what it answers.
 * - Image, document and video `bytes` stay `Uint8Array`s, which the core hashes as bytes.
 *   Media referenced by `s3Location` are keyed by their URI, not by their content.
 */
export function converseKeyMaterial(input: ConverseLikeInput): ConverseKeyMaterial {
  const source = input as Record<string, unknown>;
  const scope: Record<string, unknown> = {};
  for (const field of SCOPE_FIELDS) {
    const value = source[field];
    if (value === undefined) continue;
    scope[field] = field === 'toolConfig' ? withoutToolCachePoints(value) : value;
  }
  const prompt: Record<string, unknown> = {};
  if (source.system !== undefined) prompt.system = withoutCachePoints(source.system);
  if (source.messages !== undefined) prompt.messages = messagesWithoutCachePoints(source.messages);
  if (source.promptVariables !== undefined) prompt.promptVariables = source.promptVariables;
  return { scope, prompt };
}

function isCachePoint(block: unknown): boolean {
  return (
    typeof block === 'object' &&
    block !== null &&
    (block as { cachePoint?: unknown }).cachePoint !== undefined
  );
}

/** The same array without cache point blocks (the same array when it has none, so nothing is copied). */
function withoutCachePoints(blocks: unknown): unknown {
  if (!Array.isArray(blocks) || !blocks.some(isCachePoint)) return blocks;
  return blocks.filter((block) => !isCachePoint(block));
}

function messagesWithoutCachePoints(messages: unknown): unknown {
  if (!Array.isArray(messages)) return messages;
  let changed = false;
  const result = messages.map((message) => {
    const content = (message as { content?: unknown } | null)?.content;
    const stripped = withoutCachePoints(content);
    if (stripped === content) return message;
    changed = true;
    return { ...(message as object), content: stripped };
  });
  return changed ? result : messages;
}

function withoutToolCachePoints(toolConfig: unknown): unknown {
  const tools = (toolConfig as { tools?: unknown } | null)?.tools;
  const stripped = withoutCachePoints(tools);
  return stripped === tools ? toolConfig : { ...(toolConfig as object), tools: stripped };
}
