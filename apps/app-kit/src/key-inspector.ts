import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type BedrockOperation, withPromptCache } from '@prompt-cache/bedrock';
import type { CacheStore, KeyExplanation } from '@prompt-cache/core';
import { createMemoryStore } from '@prompt-cache/store-memory';
import type { AskRequest } from './app-session.js';
import { type ConverseInput, converseInputFor } from './converse-input.js';
import { chooseProvider } from './model-client.js';
import type { ProviderChoice } from './settings.js';

/** Options of {@link createKeyInspector}. */
export interface KeyInspectorOptions {
  /** Namespace of the keys. Required (the apps' default is `prompt-cache`). */
  namespace: string;
  /** Model of a bare prompt. Required. */
  model: string;
  /** The HMAC secret of the keys, when the sessions use one (settings' `protection.keySecret`). */
  keySecret?: string;
  /**
   * Who answers (part of every key): `bedrock`, `simulator`, or `auto` (as a session chooses: Bedrock when AWS
   * credentials are configured, else the simulator). Default `auto`.
   */
  provider?: ProviderChoice;
}

/** Derives keys exactly as a session does, without a model connection. */
export interface KeyInspector {
  inputOf(request: AskRequest): ConverseInput;
  keyFor(request: AskRequest, operation?: BedrockOperation): string;
  explain(request: AskRequest, operation?: BedrockOperation): KeyExplanation;
}

/**
 * The keys of prompts and Converse inputs, derived by the same `withPromptCache` setup a session uses, on a
 * client that never sends anything (no credentials are looked for, nothing is started).
 */
export function createKeyInspector(
  options: KeyInspectorOptions & { protection?: { keySecret: string | undefined } },
  store: CacheStore = createMemoryStore(),
): KeyInspector {
  const client = new BedrockRuntimeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  const secret = options.keySecret ?? options.protection?.keySecret;
  const { provider } = chooseProvider({ provider: options.provider ?? 'auto' });
  const controller = withPromptCache(client, { store, namespace: options.namespace, secret, provider });
  controller.remove();
  client.destroy();
  const inputOf = (request: AskRequest): ConverseInput =>
    typeof request === 'string'
      ? converseInputFor(request, { model: options.model })
      : { ...request, modelId: request.modelId ?? options.model };
  return {
    inputOf,
    keyFor: (request, operation = 'Converse') => controller.keyFor(inputOf(request), operation),
    explain: (request, operation = 'Converse') => controller.explain(inputOf(request), operation),
  };
}
