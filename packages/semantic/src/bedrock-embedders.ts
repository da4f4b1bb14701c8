import { InvalidOptionError } from '@prompt-cache/core';
import type { Embedder } from './embedder.js';

/**
 * What the Bedrock embedders need of a client: a `BedrockRuntimeClient`. Embeddings go through `client.send`, so
 * a client wrapped with `withPromptCache` (from `@prompt-cache/bedrock`) caches them like any other call.
 */
export interface BedrockRuntimeLike {
  send(command: never): Promise<unknown>;
}

/** Options of {@link createTitanEmbedder}. */
export interface TitanEmbedderOptions {
  /** A `BedrockRuntimeClient`, ideally wrapped with `withPromptCache` so each text is embedded (and paid) once. */
  client: BedrockRuntimeLike;
  /** Default `amazon.titan-embed-text-v2:0` (an inference profile or ARN of it works too). */
  modelId?: string;
  /** `256`, `512` or `1024`. Default `1024`. */
  dimensions?: 256 | 512 | 1024;
  /** Titan embeds one text a call: how many calls run at once for a batch. Default `4`. */
  concurrency?: number;
}

/** Options of {@link createCohereEmbedder}. */
export interface CohereEmbedderOptions {
  /** A `BedrockRuntimeClient`, ideally wrapped with `withPromptCache` so each text is embedded (and paid) once. */
  client: BedrockRuntimeLike;
  /** `cohere.embed-english-v3` (default) or `cohere.embed-multilingual-v3`. */
  modelId?: string;
  /**
   * Cohere's `input_type`. Default `search_query`: a cache compares questions with questions, so both sides are
   * embedded alike. Part of the embedder id (the vectors differ by type).
   */
  inputType?: 'search_query' | 'search_document' | 'classification' | 'clustering';
  /** What Cohere does with a text over its 512 tokens: `NONE` (an error), `START` or `END`. Default `END`. */
  truncate?: 'NONE' | 'START' | 'END';
}

const TITAN_DIMENSIONS = [256, 512, 1024];
const COHERE_INPUT_TYPES = ['search_query', 'search_document', 'classification', 'clustering'];
const COHERE_TRUNCATE = ['NONE', 'START', 'END'];
/** Cohere Embed v3 on Bedrock: 1024 numbers a text, at most 96 texts a call. */
const COHERE_DIMENSIONS = 1024;
const COHERE_BATCH = 96;

/**
 * Amazon Titan Text Embeddings V2 through InvokeModel (`{ inputText, dimensions, normalize: true }`). The id,
 * e.g. `bedrock/amazon.titan-embed-text-v2:0/1024`, names the model and the size.
 */
export function createTitanEmbedder(options: TitanEmbedderOptions): Embedder {
  const client = checkedClient(options?.client, 'createTitanEmbedder');
  const modelId = options.modelId ?? 'amazon.titan-embed-text-v2:0';
  const dimensions = options.dimensions ?? 1024;
  if (!TITAN_DIMENSIONS.includes(dimensions)) {
    throw new InvalidOptionError(
      `[semantic] Titan embeddings have 256, 512 or 1024 dimensions; got ${String(dimensions)}`,
    );
  }
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const id = `bedrock/${modelId}/${dimensions}`;
  const embedOne = async (text: string): Promise<number[]> => {
    const body = await invokeJson(client, modelId, { inputText: text, dimensions, normalize: true });
    return checkedVector(body?.embedding, dimensions, id);
  };
  return {
    id,
    dimensions,
    async embed(texts) {
      const vectors: number[][] = new Array(texts.length);
      let next = 0;
      const worker = async () => {
        while (next < texts.length) {
          const position = next++;
          vectors[position] = await embedOne(texts[position]!);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, texts.length) }, worker));
      return vectors;
    },
  };
}

/**
 * Cohere Embed v3 through InvokeModel (`{ texts, input_type, truncate }`, up to 96 texts a call). The id, e.g.
 * `bedrock/cohere.embed-english-v3/1024/search_query`, names the model, the size and the input type.
 */
export function createCohereEmbedder(options: CohereEmbedderOptions): Embedder {
  const client = checkedClient(options?.client, 'createCohereEmbedder');
  const modelId = options.modelId ?? 'cohere.embed-english-v3';
  const inputType = options.inputType ?? 'search_query';
  const truncate = options.truncate ?? 'END';
  if (!COHERE_INPUT_TYPES.includes(inputType)) {
    throw new InvalidOptionError(
      `[semantic] Cohere inputType is one of ${COHERE_INPUT_TYPES.join(', ')}; got ${JSON.stringify(inputType)}`,
    );
  }
  if (!COHERE_TRUNCATE.includes(truncate)) {
    throw new InvalidOptionError(
      `[semantic] Cohere truncate is NONE, START or END; got ${JSON.stringify(truncate)}`,
    );
  }
  const id = `bedrock/${modelId}/${COHERE_DIMENSIONS}/${inputType}`;
  return {
    id,
    dimensions: COHERE_DIMENSIONS,
    async embed(texts) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += COHERE_BATCH) {
        const batch = texts.slice(start, start + COHERE_BATCH);
        const body = await invokeJson(client, modelId, { texts: batch, input_type: inputType, truncate });
        // `embeddings` is the list itself, or `{ float: list }` when embedding types were asked for.
        const answered = body?.embeddings as { float?: unknown } | unknown[] | undefined;
        const embeddings = Array.isArray(answered) ? answered : answered?.float;
        if (!Array.isArray(embeddings) || embeddings.length !== batch.length) {
          throw new Error(`[semantic] ${id} answered without one embedding per text`);
        }
        for (const vector of embeddings) vectors.push(checkedVector(vector, COHERE_DIMENSIONS, id));
      }
      return vectors;
    },
  };
}

function checkedClient(client: BedrockRuntimeLike | undefined, caller: string): BedrockRuntimeLike {
  if (typeof client?.send !== 'function') {
    throw new InvalidOptionError(
      `[semantic] ${caller} needs { client }: a BedrockRuntimeClient (wrap it with withPromptCache to cache embeddings)`,
    );
  }
  return client;
}

// The SDK is an optional peer dependency: loaded on the first embedding, never by users of other embedders.
let sdk: Promise<typeof import('@aws-sdk/client-bedrock-runtime')> | undefined;

async function invokeJson(
  client: BedrockRuntimeLike,
  modelId: string,
  request: unknown,
): Promise<Record<string, unknown> | null> {
  sdk ??= import('@aws-sdk/client-bedrock-runtime').catch((error: Error) => {
    sdk = undefined;
    throw new InvalidOptionError(
      `[semantic] the Bedrock embedders need @aws-sdk/client-bedrock-runtime; install it (${error.message})`,
    );
  });
  const { InvokeModelCommand } = await sdk;
  const command = new InvokeModelCommand({
    modelId,
    contentType: 'application/json',
    accept: 'application/json',
    body: JSON.stringify(request),
  });
  const output = (await client.send(command as never)) as { body?: Uint8Array };
  return JSON.parse(new TextDecoder().decode(output.body));
}

function checkedVector(vector: unknown, dimensions: number, id: string): number[] {
  if (
    !Array.isArray(vector) ||
    vector.length !== dimensions ||
    vector.some((value) => typeof value !== 'number')
  ) {
    throw new Error(`[semantic] ${id} answered with something other than ${dimensions} numbers`);
  }
  return vector;
}
