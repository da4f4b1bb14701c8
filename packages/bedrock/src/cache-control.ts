import { type CacheMode, InvalidOptionError } from '@prompt-cache/core';
import { parseTtlSeconds } from '@prompt-cache/core/store-kit';

/** Per-call cache controls. None of them changes the request sent to Bedrock. */
export interface CacheControl {
  /**
   * `'default'` reads the cache, then stores a miss; `'refresh'` skips the read and stores the fresh answer;
   * `'bypass'` neither reads nor writes. Default `'default'`.
   */
  mode?: CacheMode;
  /** TTL of this call's entry in seconds; `0` means no expiry. Default: the cache's `ttlSeconds`. */
  ttlSeconds?: number;
  /** Labels kept in the entry's metadata. Default: none. */
  tags?: string[];
  /** `false` answers this call by its exact key only, when the cache has `semantic` on. Default `true`. */
  semantic?: boolean;
}

const MODES: readonly CacheMode[] = ['default', 'refresh', 'bypass'];

// Keyed by the command object: the SDK hands the command itself to the middleware stack as its arguments,
// and also keeps it in the handler context. Not keyed by the input, so that another command built from the
// same input object is not affected.
const controls = new WeakMap<object, CacheControl>();

/**
 * Attaches per-call cache controls to a command and returns the same command, for
 * `client.send(withCacheControl(new ConverseCommand(input), { mode: 'bypass' }))`.
 * The controls live beside the command (a WeakMap), never in its input, so the request sent to Bedrock is
 * byte-for-byte the same. They apply to every send of this command object, and to no other command.
 * @throws {InvalidOptionError} for an unknown mode; {@link InvalidTtlError} for a bad TTL.
 */
export function withCacheControl<Command extends { input: object }>(
  command: Command,
  control: CacheControl,
): Command {
  if (control.mode !== undefined && !MODES.includes(control.mode)) {
    throw new InvalidOptionError(
      `[bedrock] cache mode must be 'default', 'refresh' or 'bypass'; got ${JSON.stringify(control.mode)}`,
    );
  }
  if (control.ttlSeconds !== undefined) parseTtlSeconds(control.ttlSeconds, 'ttlSeconds');
  const copy: CacheControl = { ...control, ...(control.tags ? { tags: [...control.tags] } : {}) };
  controls.set(command, copy);
  return command;
}

/**
 * The controls attached to the command being sent: the middleware's arguments are the command itself; when an
 * earlier middleware replaced them, the command kept in the handler context is used if it has the same input.
 */
export function cacheControlOf(
  args: { input?: unknown },
  commandInstance?: unknown,
): CacheControl | undefined {
  const byArguments = controls.get(args);
  if (byArguments) return byArguments;
  if (typeof commandInstance !== 'object' || commandInstance === null) return undefined;
  return (commandInstance as { input?: unknown }).input === args.input
    ? controls.get(commandInstance)
    : undefined;
}

/** The core's per-call options from a command's cache controls. */
export function callOptionsOf(control: CacheControl | undefined): {
  mode?: CacheMode;
  ttlSeconds?: number;
  tags?: string[];
  semantic?: boolean;
} {
  if (!control) return {};
  const options: { mode?: CacheMode; ttlSeconds?: number; tags?: string[]; semantic?: boolean } = {};
  if (control.semantic !== undefined) options.semantic = control.semantic;
  if (control.mode !== undefined) options.mode = control.mode;
  if (control.ttlSeconds !== undefined) options.ttlSeconds = control.ttlSeconds;
  if (control.tags !== undefined) options.tags = control.tags;
  return options;
}
