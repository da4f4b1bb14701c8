import { createHash } from 'node:crypto';
import { createSeededRandom } from './deterministic-random.js';
import { embedText } from './embeddings.js';
import { malformedInput, validationError } from './errors.js';
import { isJsonObject } from './json-shape.js';
import { type LatencySettings, planLatency } from './latency.js';
import type { ResponsePlan } from './response-plan.js';
import { estimateTokens } from './tokens.js';

/** Cohere Embed v3 (English and multilingual) answers with 1024 numbers a text. */
const COHERE_V3_DIMENSIONS = 1024;
const INPUT_TYPES = ['search_document', 'search_query', 'classification', 'clustering'];
const TRUNCATE = ['NONE', 'START', 'END'];
/** Bedrock's limits for Cohere Embed v3: texts a call, characters a text. */
const MAX_TEXTS = 96;
const MAX_CHARACTERS = 2048;

function readTexts(body: Record<string, unknown>): string[] {
  if (body.images !== undefined) {
    throw validationError('[bedrock-simulator] Cohere Embed images are not simulated; send texts');
  }
  const { texts } = body;
  if (texts === undefined) throw malformedInput('#: required key [texts] not found');
  if (!Array.isArray(texts)) throw malformedInput('#/texts: expected type: JSONArray, found: other');
  if (texts.length > MAX_TEXTS) {
    throw malformedInput(`#/texts: expected maximum item count: ${MAX_TEXTS}, found: ${texts.length}`);
  }
  texts.forEach((text, index) => {
    if (typeof text !== 'string') throw malformedInput(`#/texts/${index}: expected type: String`);
    if (text.length > MAX_CHARACTERS) {
      throw malformedInput(`#/texts/${index}: expected maxLength: ${MAX_CHARACTERS}, actual: ${text.length}`);
    }
  });
  return texts as string[];
}

function readEnum(body: Record<string, unknown>, name: string, values: string[], required: boolean): void {
  const value = body[name];
  if (value === undefined && !required) return;
  if (value === undefined) throw malformedInput(`#: required key [${name}] not found`);
  if (typeof value !== 'string' || !values.includes(value)) {
    throw malformedInput(`#/${name}: ${JSON.stringify(value)} is not a valid enum value`);
  }
}

/** Float embeddings only: `embedding_types` absent, or `["float"]` (then the answer is keyed by type). */
function readEmbeddingTypes(body: Record<string, unknown>): boolean {
  const types = body.embedding_types;
  if (types === undefined) return false;
  if (!Array.isArray(types) || types.some((type) => typeof type !== 'string')) {
    throw malformedInput('#/embedding_types: expected type: JSONArray of String');
  }
  if (types.some((type) => type !== 'float')) {
    throw validationError(
      `[bedrock-simulator] Cohere Embed embedding_types ${JSON.stringify(types)} are not simulated; only ["float"]`,
    );
  }
  return true;
}

/**
 * Cohere Embed v3: `{ texts, input_type, truncate?, embedding_types? }` gives
 * `{ embeddings, id, response_type: 'embeddings_floats', texts }` (or `embeddings: { float }` and
 * `embeddings_by_type` when `embedding_types: ["float"]` is asked). Each vector is {@link embedText}'s: the same
 * text always gives the same vector, whatever the input type.
 */
export function cohereEmbeddingResponse(
  modelId: string,
  rawBody: unknown,
  latency: LatencySettings,
): ResponsePlan {
  if (!isJsonObject(rawBody)) throw malformedInput('#: expected type: JSONObject, found: other');
  const texts = readTexts(rawBody);
  readEnum(rawBody, 'input_type', INPUT_TYPES, true);
  readEnum(rawBody, 'truncate', TRUNCATE, false);
  const byType = readEmbeddingTypes(rawBody);
  const embeddings = texts.map((text) => embedText(text, COHERE_V3_DIMENSIONS));
  const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  const seed = `${modelId}\n${JSON.stringify(rawBody)}`;
  const plan = planLatency(latency, 0, createSeededRandom(seed));
  const delayMs = Math.round(plan.firstTokenMs / 4);
  const hex = createHash('sha256').update(seed).digest('hex');
  return {
    kind: 'json',
    delayMs,
    headers: {
      'x-amzn-bedrock-input-token-count': String(tokens),
      'x-amzn-bedrock-invocation-latency': String(delayMs),
    },
    body: {
      embeddings: byType ? { float: embeddings } : embeddings,
      id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`,
      response_type: byType ? 'embeddings_by_type' : 'embeddings_floats',
      texts,
    },
  };
}
