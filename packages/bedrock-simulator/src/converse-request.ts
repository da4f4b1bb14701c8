import { validationError } from './errors.js';
import { isJsonObject, type JsonObject, stringField, wantsReasoning } from './json-shape.js';
import type { PromptBlock } from './prompt-caching.js';
import { contentBlock, type ModelPrompt, type ToolChoice, type ToolDefinition } from './simulated-model.js';
import { estimateTokens } from './tokens.js';

/** Rough token costs of media, which Bedrock does not bill by byte. */
const IMAGE_TOKENS = 1_000;
const VIDEO_TOKENS = 2_000;

/** Everything in a Converse-style body besides the messages, read by {@link parseConverseStyleRequest}. */
export interface ConverseStyleExtras {
  /** The output token limit, already read from the API's own field. */
  maxTokens: number | undefined;
  /** Whether a guardrail is configured (Converse `guardrailConfig`, or an InvokeModel guardrail header). */
  guardrail: boolean;
  /** Where to look for a reasoning request (Converse `additionalModelRequestFields`, or the native body). */
  reasoningFields: unknown;
}

function textOf(block: JsonObject): string | undefined {
  if (typeof block.text === 'string') return block.text;
  if (isJsonObject(block.guardContent) && isJsonObject(block.guardContent.text)) {
    return stringField(block.guardContent.text, 'text');
  }
  return undefined;
}

function toolResultText(block: JsonObject): string | undefined {
  if (!isJsonObject(block.toolResult)) return undefined;
  const content = block.toolResult.content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      if (!isJsonObject(part)) return '';
      if (typeof part.text === 'string') return part.text;
      if (part.json !== undefined) return JSON.stringify(part.json);
      return '';
    })
    .join(' ');
}

/** Tokens of a content block: its text when it has one, a flat cost for media, else its JSON size. */
function tokensOf(block: JsonObject): number | undefined {
  const text = textOf(block);
  if (text !== undefined) return estimateTokens(text);
  if (block.image !== undefined) return IMAGE_TOKENS;
  if (block.video !== undefined) return VIDEO_TOKENS;
  if (isJsonObject(block.document) && isJsonObject(block.document.source)) {
    const bytes = block.document.source.bytes;
    if (typeof bytes === 'string') return Math.ceil((bytes.length * 0.75) / 4);
  }
  return undefined;
}

/** Reads `toolConfig` (Converse and Nova share it). Cache points among the tools become prompt blocks. */
function readTools(
  toolConfig: unknown,
  blocks: PromptBlock[],
): { tools: ToolDefinition[]; toolChoice?: ToolChoice } {
  if (toolConfig === undefined) return { tools: [] };
  if (!isJsonObject(toolConfig) || !Array.isArray(toolConfig.tools) || toolConfig.tools.length === 0) {
    throw validationError(
      "1 validation error detected: Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const tools: ToolDefinition[] = [];
  for (const [index, tool] of toolConfig.tools.entries()) {
    if (isJsonObject(tool) && tool.cachePoint !== undefined) {
      blocks.push({ kind: 'cachePoint' });
      continue;
    }
    const spec = isJsonObject(tool) && isJsonObject(tool.toolSpec) ? tool.toolSpec : undefined;
    const name = spec ? stringField(spec, 'name') : undefined;
    if (!spec || !name) {
      throw validationError(
        `The toolConfig.tools[${index}] field must contain a toolSpec with a name or a cachePoint.`,
      );
    }
    const schema = isJsonObject(spec.inputSchema) ? spec.inputSchema.json : undefined;
    tools.push({ name, description: stringField(spec, 'description'), inputSchema: schema });
    blocks.push(contentBlock({ tool: spec }));
  }
  const choice = toolConfig.toolChoice;
  if (isJsonObject(choice)) {
    const chosenName = isJsonObject(choice.tool) ? stringField(choice.tool, 'name') : undefined;
    if (chosenName !== undefined) {
      if (!tools.some((tool) => tool.name === chosenName)) {
        throw validationError(
          `The tool ${chosenName} in toolChoice is not one of the tools in toolConfig.tools.`,
        );
      }
      return { tools, toolChoice: { kind: 'tool', name: chosenName } };
    }
    if (choice.any !== undefined) return { tools, toolChoice: { kind: 'any' } };
  }
  return { tools, toolChoice: { kind: 'auto' } };
}

/**
 * Reads a Converse-style request (`messages`, `system`, `toolConfig`, with `cachePoint` blocks), which is
 * both the Converse API and Amazon Nova's native InvokeModel body. The caller has checked that
 * `body.messages` is a non-empty array.
 */
export function parseConverseStyleRequest(
  modelId: string,
  body: JsonObject,
  extras: ConverseStyleExtras,
): ModelPrompt {
  const blocks: PromptBlock[] = [];
  const { tools, toolChoice } = readTools(body.toolConfig, blocks);

  if (body.system !== undefined) {
    if (!Array.isArray(body.system))
      throw validationError('The system field must be a list of content blocks.');
    for (const block of body.system) {
      if (!isJsonObject(block)) throw validationError('Each system content block must be an object.');
      if (block.cachePoint !== undefined) blocks.push({ kind: 'cachePoint' });
      else blocks.push(contentBlock({ system: block }, tokensOf(block)));
    }
  }

  const messages = body.messages as unknown[];
  let question = '';
  let lastUserText = '';
  let toolResults: string[] = [];
  for (const [index, message] of messages.entries()) {
    if (!isJsonObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      throw validationError(
        `1 validation error detected: Value at 'messages.${index + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
      );
    }
    if (index === 0 && message.role !== 'user') {
      throw validationError(
        'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
      );
    }
    if (!Array.isArray(message.content) || message.content.length === 0) {
      throw validationError(
        `The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`,
      );
    }
    const texts: string[] = [];
    const results: string[] = [];
    for (const block of message.content) {
      if (!isJsonObject(block))
        throw validationError(`Each content block in messages.${index} must be an object.`);
      if (block.cachePoint !== undefined) {
        blocks.push({ kind: 'cachePoint' });
        continue;
      }
      const text = textOf(block);
      if (text !== undefined) texts.push(text);
      const result = toolResultText(block);
      if (result !== undefined) results.push(result);
      blocks.push(contentBlock({ role: message.role, block }, tokensOf(block)));
    }
    if (message.role === 'user') {
      lastUserText = texts.join('\n');
      toolResults = results;
      if (lastUserText.trim().length > 0) question = lastUserText;
    }
  }

  return {
    modelId,
    blocks,
    lastUserText,
    question,
    toolResults,
    tools,
    toolChoice,
    maxTokens: extras.maxTokens,
    reasoning: wantsReasoning(extras.reasoningFields),
    guardrail: extras.guardrail,
  };
}

/** Checks a token limit field: a whole number of at least 1, or absent. */
export function readMaxTokens(value: unknown, fieldPath: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw validationError(
      `1 validation error detected: Value '${String(value)}' at '${fieldPath}' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  }
  return value;
}
