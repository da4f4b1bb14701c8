/**
 * What the middleware sees of a model call. ai 6 hands it LanguageModelV3 calls and ai 7 LanguageModelV4 calls; the
 * fields it reads (text parts, finish reason, usage, the types of stream parts) have one shape in both, so these
 * types name only what the two share, and every result goes back to the caller as its own model's type.
 */

/** The call options (V3 or V4): only the response format is read; the rest goes into the key as it is. */
export type ModelCallOptions = {
  prompt: unknown;
  responseFormat?: { type: 'text' } | { type: 'json'; schema?: object };
  [option: string]: unknown;
};

/** Who answers: `specificationVersion` is `'v3'` under ai 6 and `'v4'` under ai 7. */
export interface ModelIdentity {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
}

export interface WrapGenerateOptions<Result> {
  doGenerate: () => PromiseLike<Result>;
  params: ModelCallOptions;
  model: ModelIdentity;
}

export interface WrapStreamOptions<Result> {
  doStream: () => PromiseLike<Result>;
  params: ModelCallOptions;
  model: ModelIdentity;
}
