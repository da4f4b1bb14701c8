import {
  composeAnswer,
  composeReasoning,
  composeToolIntroduction,
  composeToolResultAnswer,
  extractTopic,
  GUARDRAIL_MESSAGE,
  SIMULATED_LABEL,
  sampleFromSchema,
} from './answers.js';
import { createSeededRandom, type SeededRandom, sha256Hex } from './deterministic-random.js';
import { type LatencyPlan, type LatencySettings, planLatency } from './latency.js';
import type { PromptBlock, PromptCache } from './prompt-caching.js';
import { estimateTokens, splitEvery, splitIntoChunks, truncateToTokens } from './tokens.js';

/** A tool the model may call. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** The tool's input JSON Schema. */
  inputSchema?: unknown;
}

/** Which tool the caller asks for: any tool the prompt mentions (`auto`), at least one (`any`), or a named one. */
export type ToolChoice = { kind: 'auto' } | { kind: 'any' } | { kind: 'tool'; name: string };

/** A request in one shape, whatever API (Converse or a model's native body) it came from. */
export interface ModelPrompt {
  /** The model id as the caller sent it (base id, inference profile or ARN). */
  modelId: string;
  /** Tools, system and messages in reading order, with cache points. */
  blocks: PromptBlock[];
  /** The text of the last user message (where tool names are looked for). */
  lastUserText: string;
  /** The latest user text in the conversation (what the answer is about). */
  question: string;
  /** Tool results in the last user message, as text. */
  toolResults: string[];
  /** Tools offered to the model. */
  tools: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** The output token limit, if the caller set one. */
  maxTokens?: number;
  /** Whether reasoning ("thinking") content was requested. */
  reasoning: boolean;
  /** Whether a guardrail is configured. */
  guardrail: boolean;
}

/** One block of the model's output. */
export type OutputBlock =
  | { type: 'reasoning'; text: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'toolUse'; idSuffix: string; name: string; input: unknown };

/** The Converse `contentBlockDelta.delta` that carries one streamed piece of a block (Nova streams the same shape). */
export function deltaOf(block: OutputBlock, text: string): Record<string, unknown> {
  if (block.type === 'text') return { text };
  if (block.type === 'reasoning') return { reasoningContent: { text } };
  return { toolUse: { input: text } };
}

/** Why the model stopped, in Converse's vocabulary. */
export type StopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'guardrail_intervened';

/** Token usage of one answer. */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input, output, cache read and cache write tokens together. */
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  /** Whether the prompt had cache points (then Converse reports the cache fields). */
  usedCachePoints: boolean;
}

/** The simulated model's answer, before it is shaped for an API. */
export interface ModelResult {
  /** The model id as the caller sent it. */
  modelId: string;
  content: OutputBlock[];
  stopReason: StopReason;
  usage: ModelUsage;
  latency: LatencyPlan;
  /** A stable id for this answer (message ids are derived from it). */
  answerId: string;
  /** Source of chunk sizes for streaming, seeded from the request. */
  chunkRandom: SeededRandom;
}

/** What {@link runModel} needs besides the prompt. */
export interface ModelContext {
  promptCache: PromptCache;
  latency: LatencySettings;
}

/** Builds a content {@link PromptBlock} from any JSON-able piece of the prompt. */
export function contentBlock(value: unknown, tokens?: number): PromptBlock {
  const serialized = typeof value === 'string' ? value : JSON.stringify(value);
  return { kind: 'content', key: sha256Hex(serialized), tokens: tokens ?? estimateTokens(serialized) };
}

function mentions(text: string, toolName: string): boolean {
  const lower = text.toLowerCase();
  const name = toolName.toLowerCase();
  return lower.includes(name) || lower.includes(name.replace(/[_-]+/g, ' '));
}

function chooseTool(prompt: ModelPrompt): ToolDefinition | undefined {
  if (prompt.tools.length === 0) return undefined;
  const choice = prompt.toolChoice ?? { kind: 'auto' };
  if (choice.kind === 'tool') return prompt.tools.find((tool) => tool.name === choice.name);
  const mentioned = prompt.tools.find((tool) => mentions(prompt.lastUserText, tool.name));
  if (mentioned) return mentioned;
  return choice.kind === 'any' ? prompt.tools[0] : undefined;
}

/**
 * Runs the simulated model: a deterministic answer derived from the prompt (the same prompt always
 * gives the same answer), plausible token counts, prompt-cache accounting and a latency plan.
 */
export function runModel(prompt: ModelPrompt, context: ModelContext): ModelResult {
  const contentKeys = prompt.blocks.flatMap((block) => (block.kind === 'content' ? [block.key] : []));
  const seed = sha256Hex(`${prompt.modelId}\n${contentKeys.join('\n')}`);
  const random = createSeededRandom(seed);
  const content: OutputBlock[] = [];
  let stopReason: StopReason = 'end_turn';

  const blocked = prompt.guardrail && /\bBLOCKED\b/.test(`${prompt.question}\n${prompt.lastUserText}`);
  if (blocked) {
    content.push({ type: 'text', text: GUARDRAIL_MESSAGE });
    stopReason = 'guardrail_intervened';
  } else {
    if (prompt.reasoning) {
      const text = composeReasoning(prompt.question, random);
      content.push({
        type: 'reasoning',
        text,
        signature: Buffer.from(sha256Hex(text), 'hex').toString('base64'),
      });
    }
    const tool = chooseTool(prompt);
    if (tool) {
      content.push({ type: 'text', text: composeToolIntroduction(tool.name) });
      const input = sampleFromSchema(tool.inputSchema ?? {}, extractTopic(prompt.question), random);
      content.push({ type: 'toolUse', idSuffix: seed.slice(0, 22), name: tool.name, input });
      stopReason = 'tool_use';
    } else if (prompt.toolResults.length > 0) {
      content.push({
        type: 'text',
        text: composeToolResultAnswer(prompt.toolResults.join(' '), prompt.question, random),
      });
    } else {
      content.push({ type: 'text', text: composeAnswer(prompt.question, random) });
    }
  }

  const truncated = prompt.maxTokens === undefined ? content : applyMaxTokens(content, prompt.maxTokens);
  let outputTokens = Math.max(
    1,
    truncated.reduce((sum, block) => sum + blockTokens(block), 0),
  );
  if (truncated !== content && prompt.maxTokens !== undefined) {
    stopReason = 'max_tokens';
    // A model cut short has used its whole budget (the text is cut at a word, so it may hold a little less).
    outputTokens = prompt.maxTokens;
  }
  const cached = context.promptCache.account(prompt.modelId, prompt.blocks);
  const usage: ModelUsage = {
    inputTokens: cached.inputTokens,
    outputTokens,
    totalTokens:
      cached.inputTokens + outputTokens + cached.cacheReadInputTokens + cached.cacheWriteInputTokens,
    cacheReadInputTokens: cached.cacheReadInputTokens,
    cacheWriteInputTokens: cached.cacheWriteInputTokens,
    usedCachePoints: cached.usedCachePoints,
  };
  return {
    modelId: prompt.modelId,
    content: truncated,
    stopReason,
    usage,
    latency: planLatency(context.latency, outputTokens, random),
    answerId: seed,
    chunkRandom: createSeededRandom(`${seed}:chunks`),
  };
}

/** Tokens of one output block. */
export function blockTokens(block: OutputBlock): number {
  if (block.type === 'toolUse')
    return estimateTokens(JSON.stringify(block.input)) + estimateTokens(block.name);
  return estimateTokens(block.text);
}

/** Cuts the output to `maxTokens`; returns the same array when it already fits. */
function applyMaxTokens(content: OutputBlock[], maxTokens: number): OutputBlock[] {
  const total = content.reduce((sum, block) => sum + blockTokens(block), 0);
  if (total <= maxTokens) return content;
  const result: OutputBlock[] = [];
  let budget = maxTokens;
  for (const block of content) {
    const tokens = blockTokens(block);
    if (block.type === 'toolUse') break; // a partial tool call is never sent
    if (tokens <= budget) {
      result.push(block);
      budget -= tokens;
      continue;
    }
    if (block.type === 'text') {
      result.push({ type: 'text', text: truncateToTokens(block.text, Math.max(budget, 1), SIMULATED_LABEL) });
    } else {
      result.push({ ...block, text: truncateToTokens(block.text, Math.max(budget, 1), SIMULATED_LABEL) });
    }
    break;
  }
  if (!result.some((block) => block.type === 'text')) {
    result.push({ type: 'text', text: SIMULATED_LABEL.trimEnd() });
  }
  return result;
}

/** One output block split into the pieces a stream sends, with the delay before each piece. */
export interface StreamedBlock {
  index: number;
  block: OutputBlock;
  pieces: Array<{ text: string; delayMs: number }>;
}

/**
 * Splits the answer into stream pieces: text in chunks of a few words, tool input JSON in short
 * slices. Each piece waits for its tokens at `perTokenMs`.
 */
export function planStream(result: ModelResult): StreamedBlock[] {
  const random = result.chunkRandom;
  return result.content.map((block, index) => {
    const texts =
      block.type === 'toolUse'
        ? splitEvery(JSON.stringify(block.input), 24)
        : splitIntoChunks(block.text, () => random.integer(2, 4));
    return {
      index,
      block,
      pieces: texts.map((text) => ({
        text,
        delayMs: Math.round(result.latency.perTokenMs * estimateTokens(text)),
      })),
    };
  });
}
