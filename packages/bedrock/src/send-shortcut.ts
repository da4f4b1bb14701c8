import { cacheControlOf } from './cache-control.js';
import { type CommandLike, cachedOperationOf, isCommand } from './cache-request.js';
import type { CachedSend } from './cached-send.js';
import { MIDDLEWARE_NAME } from './middleware.js';
import type { BedrockOperation } from './operations.js';
import { answerFromCache } from './unary-send.js';

type Send = (command: unknown, optionsOrCallback?: unknown, callback?: unknown) => unknown;

/** What the shortcut needs of a client: its `send`, its middleware stack and its logger. */
export interface ShortcutClient {
  send?: Send;
  config?: { logger?: unknown };
  middlewareStack: { identify(): string[] };
}

/** The stack methods that change what a send passes through. */
const STACK_CHANGES = ['add', 'addRelativeTo', 'use', 'remove', 'removeByTag'] as const;

/** Steps a hit never reaches: the middleware answers at `initialize` without calling the rest. */
const PAST_A_HIT = [' - serialize', ' - build', ' - finalizeRequest', ' - deserialize'];

/**
 * Answers exact hits of an in-process store in `client.send` itself, before the SDK resolves its middleware stack,
 * which it does on every send and which costs most of a hit. Only where the middleware's own hit could not look
 * different: a Converse or InvokeModel command sent without a callback, in the default cache mode, through a
 * client whose `initialize` step holds nothing but the SDK's logger (with no logger configured) and the cache, and
 * a command with no middleware of its own at that step. Everything else, and every miss, goes to the client's own
 * `send`, untouched. Returns what puts the client back.
 */
export function installSendShortcut(
  client: ShortcutClient,
  send: CachedSend,
  operations: ReadonlySet<BedrockOperation>,
): () => void {
  const original = client.send;
  if (typeof original !== 'function') return () => undefined;
  const stack = client.middlewareStack as unknown as Record<string, unknown>;
  const ownSend = Object.hasOwn(client, 'send');
  const ownChanges = new Map<string, unknown>();
  // Reading the stack costs as much as resolving it: it is read again only after it changed.
  let stackAllows: boolean | undefined;
  for (const name of STACK_CHANGES) {
    const change = stack[name] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof change !== 'function') continue;
    if (Object.hasOwn(stack, name)) ownChanges.set(name, change);
    stack[name] = function (this: unknown, ...args: unknown[]) {
      stackAllows = undefined;
      return change.apply(this, args);
    };
  }

  const eligible = (command: CommandLike): BedrockOperation | undefined => {
    const operation = cachedOperationOf(command);
    if ((operation !== 'Converse' && operation !== 'InvokeModel') || !operations.has(operation))
      return undefined;
    if (!send.cache.store.flags?.inProcess || !quietLogger(client.config?.logger)) return undefined;
    if (client.middlewareStack !== (stack as unknown)) return undefined; // a stack swapped in is not watched
    stackAllows ??= onlyLoggerAndCache(client.middlewareStack.identify(), true);
    if (!stackAllows) return undefined;
    const own = (command.middlewareStack as { identify?: () => string[] } | undefined)?.identify?.();
    return own && onlyLoggerAndCache(own, false) ? operation : undefined;
  };

  const shortcut: Send = (command, optionsOrCallback, callback) => {
    const pass = () => original.call(client, command, optionsOrCallback, callback);
    if (typeof optionsOrCallback === 'function' || callback !== undefined || !isCommand(command))
      return pass();
    const operation = eligible(command);
    const control = operation && cacheControlOf(command);
    if (!operation || (control?.mode !== undefined && control.mode !== 'default')) return pass();
    const started = performance.now();
    let key: string;
    try {
      key = send.cache.keyFor({ operation, input: command.input as Record<string, unknown> });
    } catch {
      return pass(); // The middleware reports a request it cannot key.
    }
    return answerFromCache(send, key, { started, control }).then((answer) =>
      answer ? answer.output : pass(),
    );
  };
  client.send = shortcut;

  return () => {
    if (client.send === shortcut) {
      if (ownSend) client.send = original;
      else delete client.send;
    }
    for (const name of STACK_CHANGES) {
      if (ownChanges.has(name)) stack[name] = ownChanges.get(name);
      else delete stack[name];
    }
  };
}

/**
 * Whether a stack (`identify()` lines, `name - step`) runs nothing before a hit but the SDK's logger and, when
 * `withCache`, the cache itself. A middleware placed relative to another is counted as one that runs.
 */
function onlyLoggerAndCache(identified: string[], withCache: boolean): boolean {
  let cache = false;
  for (const entry of identified) {
    if (PAST_A_HIT.some((step) => entry.endsWith(step))) continue;
    if (withCache && entry === `${MIDDLEWARE_NAME} - initialize`) cache = true;
    else if (entry !== 'loggerMiddleware - initialize') return false;
  }
  return cache === withCache;
}

/** The SDK's default logger does nothing; any other logger is one the SDK's logger middleware would call on a hit. */
function quietLogger(logger: unknown): boolean {
  return (
    logger === undefined || (logger as { constructor?: { name?: string } }).constructor?.name === 'NoOpLogger'
  );
}
