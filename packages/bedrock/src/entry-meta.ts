import type { EntryMeta, TokenUsage } from '@prompt-cache/core';
import { round } from '@prompt-cache/core/store-kit';
import { costOf } from '@prompt-cache/pricing';
import type { BedrockCacheRequest } from './cache-request.js';
import type { RecordedResponse } from './recorded-response.js';

/** Prices a call in USD: a pricing instance (`createPricing()`) or a function; `null` for an unknown model. */
export type PricingOption =
  | { costOf(model: string, usage: TokenUsage): number | null }
  | ((model: string, usage: TokenUsage) => number | null);

/**
 * Builds the core's `describe`: what an entry keeps so that a later hit knows what it saved — the model id,
 * the provider, the usage (Bedrock's prompt-cache reads and writes included) and the cost through `pricing`.
 * A model without a price, or pricing that throws, gives `costUsd: null`; the call is not affected.
 */
export function createDescribe(
  pricing: PricingOption = costOf,
): (response: RecordedResponse, request: BedrockCacheRequest) => EntryMeta {
  const price = typeof pricing === 'function' ? pricing : pricing.costOf.bind(pricing);
  return (response, request) => {
    const model = typeof request.input.modelId === 'string' ? request.input.modelId : undefined;
    const usage = response.summary.usage;
    let costUsd: number | null = null;
    if (model !== undefined && usage) {
      try {
        costUsd = price(model, usage);
      } catch {
        costUsd = null;
      }
    }
    const meta: EntryMeta = { provider: response.provider, costUsd };
    if (model !== undefined) meta.model = model;
    if (usage) meta.usage = usage;
    // A stream's latency is that of its last event, however slowly its reader took it.
    const last = response.events?.at(-1);
    if (last) meta.latencyMs = round(last.atMs, 3);
    return meta;
  };
}
