/** The model families the simulator can answer through InvokeModel. */
export type ModelFamily = 'claude' | 'nova' | 'titan-text' | 'titan-embed' | 'cohere-embed' | 'unknown';

const PROFILE_PREFIX = /^(?:us|eu|apac|global|us-gov|jp|au|ca)\./;

/**
 * The base model id behind a base id, an inference-profile id or an ARN:
 * `arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0` and `us.amazon.nova-lite-v1:0`
 * both give `amazon.nova-lite-v1:0`.
 */
export function baseModelId(modelId: string): string {
  const lastSegment = modelId.startsWith('arn:') ? (modelId.split('/').at(-1) ?? modelId) : modelId;
  return lastSegment.replace(PROFILE_PREFIX, '');
}

/** Which native body shape a model id expects. */
export function modelFamily(modelId: string): ModelFamily {
  const base = baseModelId(modelId);
  if (base.startsWith('anthropic.claude')) return 'claude';
  if (/^amazon\.nova-(?!canvas|reel|sonic)/.test(base)) return 'nova';
  if (base.startsWith('amazon.titan-text-') || base.startsWith('amazon.titan-tg1')) return 'titan-text';
  if (base.startsWith('amazon.titan-embed-text') || base.startsWith('amazon.titan-embed-g1-text'))
    return 'titan-embed';
  if (/^cohere\.embed-(?:english|multilingual)-v3/.test(base)) return 'cohere-embed';
  return 'unknown';
}

/** Whether a family only embeds (Converse refuses it, InvokeModel never streams it). */
export function isEmbeddingFamily(family: ModelFamily): boolean {
  return family === 'titan-embed' || family === 'cohere-embed';
}

/** The name Anthropic's API reports for a Bedrock Claude id, e.g. `claude-3-5-haiku-20241022`. */
export function anthropicModelName(modelId: string): string {
  return baseModelId(modelId)
    .replace(/^anthropic\./, '')
    .replace(/-v\d+(?::\d+)?$/, '');
}
