import { InvalidOptionError, PromptCacheError } from '@prompt-cache/core';
import { CommanderError } from 'commander';

/** Exit code of a usage error: a bad flag, argument or input file. */
export const EXIT_USAGE = 2;
/** Exit code of every other failure. */
export const EXIT_FAILURE = 1;
/** Exit code after Ctrl+C at a prompt (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** A command line that cannot work (exit code 2). */
export class UsageError extends InvalidOptionError {}

/** A failure that is not the command line's fault (exit code 1). */
export class CliError extends PromptCacheError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UPSTREAM_FAILED', message, options);
  }
}

const USAGE_CODES = new Set(['INVALID_OPTION', 'INVALID_TTL', 'INVALID_KEY_MATERIAL']);

/** 2 for usage errors (flags, arguments, input files), 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
  if (error instanceof PromptCacheError && USAGE_CODES.has(error.code)) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/**
 * The one line a user sees for an error: what is wrong and what to do. Package tags of internal layers
 * (`[app-kit]`, `[core]`) are dropped; the tags of parts a user chose (`[store-redis]`, `[pricing]`) stay.
 */
export function errorLine(error: unknown): string {
  if (error instanceof CommanderError) return commanderLine(error);
  const message = error instanceof Error ? error.message : String(error);
  const text = message
    .replace(/^\[(app-kit|core|cli)\] /, '')
    .replace(/\s+/g, ' ')
    .trim();
  return withHint(error, text || (error instanceof Error ? error.name : 'unknown error'));
}

function commanderLine(error: CommanderError): string {
  const text = error.message
    .replace(/^error: /, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (error.code === 'commander.unknownCommand') return `${text}; run prompt-cache --help for the commands`;
  return `${text}; add --help for usage`;
}

/** Adds what to do for errors from outside our code (the AWS SDK, the network, the file system). */
function withHint(error: unknown, text: string): string {
  const name = (error as { name?: string })?.name ?? '';
  const code = (error as { code?: string })?.code ?? '';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(text)) {
    return `${text}; configure AWS credentials (aws configure) or pass --provider simulator`;
  }
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException') {
    return `Bedrock refused the call (${name}: ${text}); check the credentials and that the model is enabled in this region`;
  }
  if (name === 'ResourceNotFoundException' || name === 'ValidationException') {
    return `Bedrock rejected the request (${name}: ${text}); check --model and the request`;
  }
  if (name === 'ThrottlingException') return `Bedrock throttled the call (${text}); wait a moment and retry`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
    return `${text} (${code}); check the network and the endpoint`;
  }
  if (error instanceof PromptCacheError || /^\[[a-z-]+\]/.test(text)) return text;
  return name && name !== 'Error' && !text.startsWith(name) ? `${name}: ${text}` : text;
}
