import { PromptCacheError } from '@prompt-cache/core';
import { converseKeyMaterial } from './converse-key.js';
import { invokeKeyMaterial } from './invoke-key.js';
import { type BedrockOperation, operationOfCommandName } from './operations.js';

/** What the core cache sees of one call: the operation and the command's input, untouched. */
export interface BedrockCacheRequest {
  operation: BedrockOperation;
  input: Record<string, unknown>;
}

/** A command, as far as this package needs it: its input, and the operation schema the SDK attaches. */
export interface CommandLike {
  input: object;
  schema?: unknown;
  middlewareStack?: unknown;
}

/**
 * The key material of a call, used as the core's `select`. The operation is part of it, because a
 * Converse answer and a recorded ConverseStream are stored in different shapes.
 */
export function keyMaterialOf(request: BedrockCacheRequest): unknown {
  const { operation, input } = request;
  if (operation === 'Converse' || operation === 'ConverseStream') {
    const { scope, prompt } = converseKeyMaterial(input as { modelId: string });
    return { operation, scope, prompt };
  }
  return { operation, ...invokeKeyMaterial(input) };
}

/**
 * Turns a command (`new ConverseCommand(input)`) or a bare input into the request the cache keys.
 * For a bare input the operation is `operation`, else `InvokeModel` when the input has a `body`, else `Converse`.
 */
export function cacheRequestOf(
  commandOrInput: CommandLike | object,
  operation?: BedrockOperation,
): BedrockCacheRequest {
  if (isCommand(commandOrInput)) {
    const named = operation ?? operationOfCommand(commandOrInput);
    return { operation: named, input: commandOrInput.input as Record<string, unknown> };
  }
  const input = commandOrInput as Record<string, unknown>;
  return { operation: operation ?? ('body' in input ? 'InvokeModel' : 'Converse'), input };
}

/** Whether `value` is an SDK command (an input and a middleware stack), not a bare input. */
export function isCommand(value: unknown): value is CommandLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<CommandLike>;
  return (
    typeof candidate.input === 'object' && candidate.input !== null && candidate.middlewareStack !== undefined
  );
}

/**
 * The operation of a command this package caches, or `undefined`. The SDK's operation schema is
 * `[9, namespace, 'Converse', ...]`; the class name is the fallback.
 */
export function cachedOperationOf(command: CommandLike): BedrockOperation | undefined {
  const schemaName = Array.isArray(command.schema) ? command.schema[2] : undefined;
  return (
    operationOfCommandName(typeof schemaName === 'string' ? schemaName : undefined) ??
    operationOfCommandName(command.constructor?.name)
  );
}

function operationOfCommand(command: CommandLike): BedrockOperation {
  const operation = cachedOperationOf(command);
  if (!operation) {
    throw new PromptCacheError(
      'INVALID_KEY_MATERIAL',
      `[bedrock] ${command.constructor?.name ?? 'this command'} is not cached; only Converse, ConverseStream, ` +
        'InvokeModel and InvokeModelWithResponseStream commands have keys',
    );
  }
  return operation;
}
