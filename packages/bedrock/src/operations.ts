/** The Bedrock Runtime operations this package caches, named like the SDK commands without `Command`. */
export type BedrockOperation =
  | 'Converse'
  | 'ConverseStream'
  | 'InvokeModel'
  | 'InvokeModelWithResponseStream';

/** Every operation the cache understands, in a stable order. */
export const BEDROCK_OPERATIONS: readonly BedrockOperation[] = [
  'Converse',
  'ConverseStream',
  'InvokeModel',
  'InvokeModelWithResponseStream',
];

/** Where a streaming operation's event stream sits in the SDK output. */
const STREAM_MEMBERS: Partial<Record<BedrockOperation, 'stream' | 'body'>> = {
  ConverseStream: 'stream',
  InvokeModelWithResponseStream: 'body',
};

/** The output member that holds the event stream (`stream` or `body`), or `undefined` for a unary operation. */
export function streamMemberOf(operation: BedrockOperation): 'stream' | 'body' | undefined {
  return STREAM_MEMBERS[operation];
}

/** Whether the operation answers with an event stream. */
export function isStreamingOperation(operation: BedrockOperation): boolean {
  return STREAM_MEMBERS[operation] !== undefined;
}

/** `ConverseCommand` → `Converse`; any command this package does not cache → `undefined`. */
export function operationOfCommandName(commandName: string | undefined): BedrockOperation | undefined {
  if (!commandName) return undefined;
  const name = commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
  return (BEDROCK_OPERATIONS as readonly string[]).includes(name) ? (name as BedrockOperation) : undefined;
}
