/**
 * How a Bedrock call is routed, which can change its price:
 * - `global`: a `global.` cross-region inference profile, routed to any commercial region.
 * - `geographic`: a geographic cross-region inference profile (`us.`, `eu.`, `apac.`, `jp.`, `au.`,
 *   `us-gov.`, `ca.`), routed within that geography. Priced like in-region calls.
 * - `in-region`: a bare model id or a foundation-model ARN, served in the client's region.
 */
export type PricingTier = 'global' | 'geographic' | 'in-region';

/** The inference-profile prefixes this package understands, each with the tier it selects. */
export const INFERENCE_PROFILE_PREFIXES: Readonly<Record<string, PricingTier>> = Object.freeze({
  'global.': 'global',
  'us.': 'geographic',
  'eu.': 'geographic',
  'apac.': 'geographic',
  'jp.': 'geographic',
  'au.': 'geographic',
  'us-gov.': 'geographic',
  'ca.': 'geographic',
});

/** A model id taken apart: the base model id and the tier its prefix or ARN selects. */
export interface ParsedModelId {
  /** The base model id with any profile prefix or ARN removed, e.g. `anthropic.claude-sonnet-4-20250514-v1:0`. */
  readonly modelId: string;
  /** The routing tier the id selects. */
  readonly tier: PricingTier;
}

// arn:<partition>:bedrock:<region>:<account>:<resource-type>/<resource-id>
const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:[0-9]*:([a-z-]+)\/(\S+)$/i;

/**
 * Takes a Bedrock model id apart without looking at any price. Accepts a bare model id,
 * an inference-profile id (`us.anthropic.claude-...`, `global.anthropic.claude-...`), an inference-profile ARN
 * (`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-...`) and a foundation-model ARN
 * (`arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0`). Surrounding whitespace is ignored,
 * and prefixes and ARN parts are matched case-insensitively; the base id keeps its case.
 *
 * @returns the base id and tier, or `null` for ids that name no model: empty strings, application
 *   inference profiles (`application-inference-profile/...`, whose model the id does not reveal),
 *   provisioned, custom and imported models, prompt routers, and other malformed ARNs.
 * @example parseModelId('eu.amazon.nova-lite-v1:0') // { modelId: 'amazon.nova-lite-v1:0', tier: 'geographic' }
 */
export function parseModelId(model: string): ParsedModelId | null {
  if (typeof model !== 'string') return null;
  const trimmed = model.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return null;
  if (/^arn:/i.test(trimmed)) return parseArn(trimmed);
  if (hasProfilePrefix(trimmed)) return parseProfileId(trimmed);
  return { modelId: trimmed, tier: 'in-region' };
}

function parseArn(arn: string): ParsedModelId | null {
  const match = BEDROCK_ARN.exec(arn);
  if (!match) return null;
  const resourceType = match[1]!.toLowerCase();
  const resourceId = match[2]!;
  if (resourceType === 'foundation-model') {
    return hasProfilePrefix(resourceId) ? null : { modelId: resourceId, tier: 'in-region' };
  }
  // A system-defined inference-profile ARN always carries a prefix; without one, do not guess.
  if (resourceType === 'inference-profile') return parseProfileId(resourceId);
  return null;
}

function hasProfilePrefix(id: string): boolean {
  const lower = id.toLowerCase();
  return Object.keys(INFERENCE_PROFILE_PREFIXES).some((prefix) => lower.startsWith(prefix));
}

function parseProfileId(id: string): ParsedModelId | null {
  const lower = id.toLowerCase();
  for (const [prefix, tier] of Object.entries(INFERENCE_PROFILE_PREFIXES)) {
    if (lower.startsWith(prefix) && id.length > prefix.length)
      return { modelId: id.slice(prefix.length), tier };
  }
  return null;
}
