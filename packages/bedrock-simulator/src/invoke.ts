import { validationError } from './errors.js';
import { claudeResponse, claudeStreamResponse, parseClaudeRequest } from './invoke-claude.js';
import { cohereEmbeddingResponse } from './invoke-cohere-embed.js';
import { novaResponse, novaStreamResponse, parseNovaRequest } from './invoke-nova.js';
import {
  parseTitanTextRequest,
  titanEmbeddingResponse,
  titanTextResponse,
  titanTextStreamResponse,
} from './invoke-titan.js';
import { modelFamily } from './model-id.js';
import type { ResponsePlan } from './response-plan.js';
import { type ModelContext, runModel } from './simulated-model.js';

/** What InvokeModel needs besides the body. */
export interface InvokeContext extends ModelContext {
  /** Whether the request named a guardrail (the `X-Amzn-Bedrock-GuardrailIdentifier` header). */
  guardrail: boolean;
}

/**
 * Answers InvokeModel (`streaming: false`) or InvokeModelWithResponseStream (`streaming: true`) in the
 * model family's native body shape: Anthropic Claude, Amazon Nova, Titan Text, Titan Text Embeddings or
 * Cohere Embed v3.
 * Any other model is a ValidationException.
 */
export function planInvokeModel(
  modelId: string,
  body: unknown,
  context: InvokeContext,
  streaming: boolean,
): ResponsePlan {
  const family = modelFamily(modelId);
  switch (family) {
    case 'claude': {
      const result = runModel(parseClaudeRequest(modelId, body, context.guardrail), context);
      return streaming ? claudeStreamResponse(result) : claudeResponse(result);
    }
    case 'nova': {
      const result = runModel(parseNovaRequest(modelId, body, context.guardrail), context);
      return streaming ? novaStreamResponse(result) : novaResponse(result);
    }
    case 'titan-text': {
      const result = runModel(parseTitanTextRequest(modelId, body, context.guardrail), context);
      return streaming ? titanTextStreamResponse(result) : titanTextResponse(result);
    }
    case 'titan-embed':
      if (streaming) throw validationError('The model is unsupported for streaming.');
      return titanEmbeddingResponse(modelId, body, context.latency);
    case 'cohere-embed':
      if (streaming) throw validationError('The model is unsupported for streaming.');
      return cohereEmbeddingResponse(modelId, body, context.latency);
    default:
      throw validationError(
        `The provided model identifier is invalid. [bedrock-simulator] InvokeModel is simulated for Anthropic Claude, ` +
          `Amazon Nova, Titan Text, Titan Text Embeddings and Cohere Embed v3, not for ${modelId}; use Converse for other models.`,
      );
  }
}
