import { readFile, stat } from 'node:fs/promises';
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { InvalidOptionError } from '@prompt-cache/core';

/** Largest request file read by default: 1 MiB. */
export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;

/** A Converse input with the model named. */
export type ConverseInput = ConverseCommandInput & { modelId: string };

/** Options of {@link converseInputFor}. */
export interface PromptInputOptions {
  /** Model id. Required. */
  model: string;
  /** A system prompt. Default none. */
  system?: string;
  /** `inferenceConfig.maxTokens`. Default: the model's own. */
  maxTokens?: number;
}

/** The Converse input of one user prompt. */
export function converseInputFor(prompt: string, options: PromptInputOptions): ConverseInput {
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    throw new InvalidOptionError('[app-kit] the prompt is empty; give the question to ask');
  }
  return {
    modelId: options.model,
    messages: [{ role: 'user', content: [{ text: prompt }] }],
    ...(options.system === undefined ? {} : { system: [{ text: options.system }] }),
    ...(options.maxTokens === undefined ? {} : { inferenceConfig: { maxTokens: options.maxTokens } }),
  };
}

/** The text of the last user message of a Converse input (for display). */
export function promptOf(input: ConverseCommandInput): string {
  const messages = input.messages ?? [];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'user') continue;
    const text = (message.content ?? [])
      .map((block) => ('text' in block && typeof block.text === 'string' ? block.text : ''))
      .join('');
    if (text) return text;
  }
  return '';
}

/**
 * Checks that a parsed value is a Converse input (an object with a non-empty `messages` array of
 * `{ role, content: [...] }`), and fills in `modelId` when it is missing.
 * @throws {InvalidOptionError} naming `where` and what is wrong.
 */
export function validateConverseInput(value: unknown, model: string, where: string): ConverseInput {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      `[app-kit] ${where} must hold a Converse input object like {"messages":[{"role":"user","content":[{"text":"..."}]}]}; got ${describe(value)}`,
    );
  }
  const input = value as Record<string, unknown>;
  const messages = input.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidOptionError(
      `[app-kit] ${where} has no "messages" array; a Converse input needs {"messages":[{"role":"user","content":[{"text":"..."}]}]}`,
    );
  }
  messages.forEach((message, index) => {
    const entry = message as { role?: unknown; content?: unknown } | null;
    if (
      entry === null ||
      typeof entry !== 'object' ||
      (entry.role !== 'user' && entry.role !== 'assistant') ||
      !Array.isArray(entry.content)
    ) {
      throw new InvalidOptionError(
        `[app-kit] ${where}: messages[${index}] must be {"role":"user"|"assistant","content":[...]}`,
      );
    }
  });
  if (input.modelId !== undefined && (typeof input.modelId !== 'string' || input.modelId.trim() === '')) {
    throw new InvalidOptionError(`[app-kit] ${where}: "modelId" must be a model id string`);
  }
  return {
    ...(input as unknown as ConverseCommandInput),
    modelId: (input.modelId as string | undefined) ?? model,
  };
}

/** Options of {@link readRequestFile}. */
export interface ReadRequestOptions {
  /** Model used when the file names none. Required. */
  model: string;
  /** Largest file accepted, in bytes. Default {@link DEFAULT_MAX_REQUEST_BYTES} (1 MiB). */
  maxBytes?: number;
}

/**
 * Reads a JSON file holding one full Converse input (`modelId` optional). Too large, unreadable, malformed
 * or wrongly shaped files fail with a one-line {@link InvalidOptionError}.
 */
export async function readRequestFile(path: string, options: ReadRequestOptions): Promise<ConverseInput> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    if (info.size > maxBytes) {
      throw new InvalidOptionError(
        `[app-kit] request file ${path} is ${info.size} bytes, more than the ${maxBytes}-byte limit; trim it`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof InvalidOptionError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidOptionError(
      `[app-kit] cannot read request file ${path} (${code}); check the path (a JSON file with one Converse input)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidOptionError(
      `[app-kit] request file ${path} is not valid JSON (${oneLine((error as Error).message)}); it must hold one Converse input object`,
    );
  }
  return validateConverseInput(parsed, options.model, `request file ${path}`);
}

/** One line of a warm file, parsed. */
export type WarmLine =
  | { line: number; input: ConverseInput; prompt: string }
  | { line: number; error: string };

/**
 * Parses a warm file (JSON Lines): each non-blank line is a JSON string (a prompt), `{"prompt": "...",
 * "model"?: "..."}`, or a Converse input. A line that does not start with `{`, `[` or `"` is taken as a
 * plain-text prompt. Lines starting with `#` are comments. Bad lines become `{ line, error }`.
 */
export function parseWarmFile(text: string, model: string): WarmLine[] {
  const result: WarmLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (!/^[{["]/.test(trimmed)) {
      result.push({ line, prompt: trimmed, input: converseInputFor(trimmed, { model }) });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      result.push({ line, error: `not valid JSON (${oneLine((error as Error).message)})` });
      return;
    }
    try {
      if (typeof value === 'string') {
        result.push({ line, prompt: value, input: converseInputFor(value, { model }) });
      } else if (value && typeof value === 'object' && 'prompt' in value) {
        const { prompt, model: lineModel } = value as { prompt: unknown; model?: unknown };
        if (typeof prompt !== 'string') throw new InvalidOptionError('"prompt" must be a string');
        if (lineModel !== undefined && typeof lineModel !== 'string')
          throw new InvalidOptionError('"model" must be a string');
        result.push({
          line,
          prompt,
          input: converseInputFor(prompt, { model: (lineModel as string | undefined) ?? model }),
        });
      } else {
        const input = validateConverseInput(value, model, `line ${line}`);
        result.push({ line, prompt: promptOf(input), input });
      }
    } catch (error) {
      result.push({ line, error: stripPrefix((error as Error).message) });
    }
  });
  return result;
}

function stripPrefix(message: string): string {
  return message.replace(/^\[[a-z-]+\] /, '').replace(/^line \d+:? /, '');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : typeof value;
}
