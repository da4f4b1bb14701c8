const PROFILE_PREFIX = /^(?:us|eu|apac|global|us-gov|jp|au|ca)\./;

/**
 * The base model id behind a base id, an inference-profile id or a foundation-model ARN:
 * `us.anthropic.claude-sonnet-4-20250514-v1:0` and
 * `arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0` both give
 * `anthropic.claude-sonnet-4-20250514-v1:0`.
 */
export function baseModelId(modelId: string): string {
  const lastSegment = modelId.startsWith('arn:') ? (modelId.split('/').at(-1) ?? modelId) : modelId;
  return lastSegment.trim().replace(PROFILE_PREFIX, '');
}

/** The native body shapes this package reads in InvokeModel answers. */
export type NativeFamily = 'claude' | 'nova' | 'titan-text' | 'other';

/** Which native body shape a model id speaks. */
export function nativeFamilyOf(modelId: string | undefined): NativeFamily {
  const base = baseModelId(modelId ?? '');
  if (base.startsWith('anthropic.claude')) return 'claude';
  if (/^amazon\.nova-(?!canvas|reel|sonic)/.test(base)) return 'nova';
  if (base.startsWith('amazon.titan-text-') || base.startsWith('amazon.titan-tg1')) return 'titan-text';
  return 'other';
}
