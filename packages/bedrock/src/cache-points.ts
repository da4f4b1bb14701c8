import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { InvalidOptionError } from '@prompt-cache/core';
import { type CachePointModel, cachePointModelOf, MAX_CACHE_CHECKPOINTS } from './cache-point-models.js';

/** How long Bedrock keeps a cached prefix after its last use. */
export type CachePointTtl = '5m' | '1h';

/** The places a checkpoint can go, in the order Bedrock reads a prompt. */
export type CachePointSection = 'tools' | 'system' | 'documents';

/** Options of {@link placeCachePoints}. */
export interface CachePointOptions {
  /** Tokens in a piece of text. Default: characters / 4, rounded up. */
  estimateTokens?: (text: string) => number;
  /** Fewest tokens a checkpoint's segment must hold. Default: the model's minimum (1,024 to 4,096 for Claude, 1,000 for Nova). */
  minimumTokens?: number;
  /**
   * TTL of the checkpoints, for the models that take one (Claude Sonnet 4.5, Haiku 4.5, Opus 4.5): one for all,
   * or one per section. A checkpoint is never given a shorter TTL than a later one (Bedrock wants longer TTLs
   * first), so an earlier checkpoint is raised to the longest TTL after it. Default: none (Bedrock's 5 minutes).
   */
  ttl?: CachePointTtl | Partial<Record<CachePointSection, CachePointTtl>>;
  /** The sections that may get a checkpoint. Default: all three (tools only for Claude). */
  sections?: readonly CachePointSection[];
}

/** One checkpoint {@link planCachePoints} placed, or a place it considered and left out. */
export interface CachePointDecision {
  section: CachePointSection;
  /** Estimated tokens in the segment the checkpoint closes (since the previous checkpoint). */
  tokens: number;
  placed: boolean;
  ttl?: CachePointTtl;
  /** Why it was left out. */
  reason?: string;
}

/** What {@link planCachePoints} decided. */
export interface CachePointPlan {
  /** The new input (the one given is never changed). */
  input: ConverseCommandInput;
  /** The model's rules, or `undefined` for a model without prompt caching (then the input is returned unchanged). */
  model: CachePointModel | undefined;
  decisions: CachePointDecision[];
}

const IMAGE_TOKENS = 1_600;
const VIDEO_TOKENS = 2_000;
const CACHE_POINT = { type: 'default' as const };

type Block = Record<string, unknown>;

function isCachePoint(block: unknown): boolean {
  return typeof block === 'object' && block !== null && (block as Block).cachePoint !== undefined;
}

function isDocument(block: unknown): boolean {
  return typeof block === 'object' && block !== null && (block as Block).document !== undefined;
}

function byteLength(value: unknown): number {
  return value instanceof Uint8Array ? value.byteLength : typeof value === 'string' ? value.length : 0;
}

/** Estimated tokens of one content, system or tool block. */
function blockTokens(block: unknown, estimate: (text: string) => number): number {
  if (typeof block !== 'object' || block === null) return 0;
  const value = block as Block;
  if (typeof value.text === 'string') return estimate(value.text);
  if (value.image !== undefined) return IMAGE_TOKENS;
  if (value.video !== undefined) return VIDEO_TOKENS;
  const document = value.document as { source?: Block } | undefined;
  if (document?.source) {
    const source = document.source;
    if (typeof source.text === 'string') return estimate(source.text);
    if (Array.isArray(source.content)) return estimate(JSON.stringify(source.content));
    return Math.ceil(byteLength(source.bytes) / 4);
  }
  return estimate(JSON.stringify(value));
}

function ttlRank(ttl: CachePointTtl | undefined): number {
  return ttl === '1h' ? 2 : ttl === '5m' ? 1 : 0;
}

function ttlFor(option: CachePointOptions['ttl'], section: CachePointSection): CachePointTtl | undefined {
  if (option === undefined || typeof option === 'string') return option;
  return option[section];
}

function checkOptions(options: CachePointOptions): void {
  const ttls =
    options.ttl === undefined
      ? []
      : typeof options.ttl === 'string'
        ? [options.ttl]
        : Object.values(options.ttl);
  for (const ttl of ttls) {
    if (ttl !== undefined && ttl !== '5m' && ttl !== '1h') {
      throw new InvalidOptionError(
        `[bedrock] cache point ttl must be '5m' or '1h'; got ${JSON.stringify(ttl)}`,
      );
    }
  }
  if (
    options.minimumTokens !== undefined &&
    !(Number.isFinite(options.minimumTokens) && options.minimumTokens >= 0)
  ) {
    throw new InvalidOptionError(
      `[bedrock] minimumTokens must be a number >= 0; got ${options.minimumTokens}`,
    );
  }
}

/**
 * Decides where Bedrock's own prompt-cache checkpoints (`cachePoint` blocks) should go, and returns a new
 * input with them: after the tool list (Claude only), after the system prompt, and after the last document of the
 * first user message, each only when the prompt since the previous checkpoint is long enough for the model,
 * at most four in all (existing checkpoints count). Tokens are estimated, by default as characters / 4.
 */
export function planCachePoints(
  input: ConverseCommandInput,
  options: CachePointOptions = {},
): CachePointPlan {
  checkOptions(options);
  const model = typeof input.modelId === 'string' ? cachePointModelOf(input.modelId) : undefined;
  const result: ConverseCommandInput = { ...input };
  if (!model) return { input: result, model, decisions: [] };
  const estimate = options.estimateTokens ?? ((text: string) => Math.ceil(text.length / 4));
  const minimum = options.minimumTokens ?? model.minimumTokens;
  const sections = new Set(options.sections ?? (['tools', 'system', 'documents'] as const));
  const tools = (input.toolConfig?.tools ?? []) as unknown[];
  const system = (input.system ?? []) as unknown[];
  const firstMessage = input.messages?.[0];
  const firstContent = (firstMessage?.role === 'user' ? (firstMessage.content ?? []) : []) as unknown[];
  const existing = [
    ...tools,
    ...system,
    ...(input.messages ?? []).flatMap((message) => (message.content ?? []) as unknown[]),
  ].filter(isCachePoint).length;
  let budget = MAX_CACHE_CHECKPOINTS - existing;
  let segment = 0;
  const decisions: CachePointDecision[] = [];
  const placed: Array<{ decision: CachePointDecision; apply: (block: Block) => void }> = [];

  /** Considers a checkpoint at the end of the segment counted so far. */
  const consider = (
    section: CachePointSection,
    allowed: string | undefined,
    apply: (block: Block) => void,
  ) => {
    const decision: CachePointDecision = { section, tokens: segment, placed: false };
    decisions.push(decision);
    if (allowed) decision.reason = allowed;
    else if (segment < minimum)
      decision.reason = `${segment} estimated tokens, below the model's ${minimum} per checkpoint`;
    else if (budget <= 0)
      decision.reason = `Bedrock takes at most ${MAX_CACHE_CHECKPOINTS} checkpoints per request`;
    if (decision.reason) return;
    decision.placed = true;
    budget -= 1;
    segment = 0;
    placed.push({ decision, apply });
  };

  const count = (blocks: readonly unknown[]) => {
    for (const block of blocks) segment = isCachePoint(block) ? 0 : segment + blockTokens(block, estimate);
  };

  // Tools, then system, then messages: the order in which Bedrock reads (and caches) a prompt.
  if (tools.length > 0) {
    count(tools);
    const why = !model.toolCheckpoints
      ? 'this model takes no checkpoint after its tools'
      : !sections.has('tools')
        ? 'tools are not among the sections'
        : isCachePoint(tools.at(-1))
          ? 'the tools already end with a checkpoint'
          : undefined;
    consider('tools', why, (block) => {
      result.toolConfig = { ...input.toolConfig, tools: [...tools, block] as never };
    });
  }
  if (system.length > 0) {
    count(system);
    const why = !sections.has('system')
      ? 'system is not among the sections'
      : isCachePoint(system.at(-1))
        ? 'the system prompt already ends with a checkpoint'
        : undefined;
    consider('system', why, (block) => {
      result.system = [...system, block] as never;
    });
  }
  const lastDocument = firstContent.findLastIndex(isDocument);
  if (lastDocument >= 0 && firstMessage) {
    count(firstContent.slice(0, lastDocument + 1));
    const why = !sections.has('documents')
      ? 'documents are not among the sections'
      : isCachePoint(firstContent[lastDocument + 1])
        ? 'the documents are already followed by a checkpoint'
        : undefined;
    consider('documents', why, (block) => {
      const content = [
        ...firstContent.slice(0, lastDocument + 1),
        block,
        ...firstContent.slice(lastDocument + 1),
      ];
      result.messages = [{ ...firstMessage, content: content as never }, ...(input.messages ?? []).slice(1)];
    });
  }

  // Longer TTLs first: each checkpoint gets the longest TTL asked for it or for any later one.
  let longest: CachePointTtl | undefined;
  for (const { decision } of [...placed].reverse()) {
    const wanted = model.ttl ? ttlFor(options.ttl, decision.section) : undefined;
    if (ttlRank(wanted) > ttlRank(longest)) longest = wanted;
    if (longest) decision.ttl = longest;
  }
  for (const { decision, apply } of placed) {
    apply({ cachePoint: decision.ttl ? { ...CACHE_POINT, ttl: decision.ttl } : { ...CACHE_POINT } });
  }
  return { input: result, model, decisions };
}

/**
 * Returns a new Converse input with Bedrock prompt-cache checkpoints (`cachePoint` blocks) after its long, stable
 * prefixes; see {@link planCachePoints} for the rules. A model without prompt caching gets its input back unchanged
 * (as a new object). The input given is never changed.
 * @example
 * await client.send(new ConverseCommand(placeCachePoints({ modelId, system: [{ text: longManual }], messages })));
 */
export function placeCachePoints(
  input: ConverseCommandInput,
  options: CachePointOptions = {},
): ConverseCommandInput {
  return planCachePoints(input, options).input;
}
