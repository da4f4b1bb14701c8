import { parseModelId } from './resolve-model.js';

/**
 * The one-line message of the default unknown-model warning: it names the id, says the cost is reported
 * as `null`, and shows how to add an override.
 * @example unknownModelMessage('cohere.command-r-v1:0')
 * // [pricing] no price for Bedrock model "cohere.command-r-v1:0", so its cost is reported as null; add one with
 * // createPricing({ overrides: { "cohere.command-r-v1:0": { input: ..., output: ... } } }) (USD per 1M tokens) or a JSON
 * // file read by loadPriceOverrides()
 */
export function unknownModelMessage(modelId: string): string {
  const text = String(modelId);
  const parsed = parseModelId(text);
  const key = parsed?.modelId ?? text.trim();
  const reason = parsed
    ? ''
    : /:application-inference-profile\//i.test(text)
      ? ' (an application inference profile does not name its model; key the override by the full ARN)'
      : ' (not a model id, profile id or ARN this package can resolve)';
  return (
    `[pricing] no price for Bedrock model ${JSON.stringify(text)}${reason}, so its cost is reported as null; ` +
    `add one with createPricing({ overrides: { ${JSON.stringify(key)}: { input: ..., output: ... } } }) ` +
    '(USD per 1M tokens) or a JSON file read by loadPriceOverrides()'
  );
}

/**
 * The default `onUnknownModel`: emits {@link unknownModelMessage} through `process.emitWarning`
 * with type `PricingWarning` and code `PRICING_UNKNOWN_MODEL` (or `console.warn` where there is no `process`).
 */
export function warnUnknownModel(modelId: string): void {
  const message = unknownModelMessage(modelId);
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(message, { type: 'PricingWarning', code: 'PRICING_UNKNOWN_MODEL' });
  } else {
    console.warn(message);
  }
}
