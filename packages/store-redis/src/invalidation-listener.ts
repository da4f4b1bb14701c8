import { connect as connectTcp, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';

/** Where the listener connects: the same server (and credentials) as the store's client. */
export interface ListenerTarget {
  host?: string;
  port?: number;
  path?: string;
  tls?: ConnectionOptions;
  username?: string;
  password?: string;
}

export interface InvalidationListener {
  /** Resolves with this connection's client id once it is subscribed; rejects when it could not get there. */
  readonly ready: Promise<number>;
  /** Resolves once every invalidation Redis sent before now has been handed to `onKeys` (a PING round trip). */
  sync(): Promise<void>;
  close(): void;
}

export interface ListenerHandlers {
  /** The keys Redis says changed, or `null` for all of them (FLUSHALL / FLUSHDB). */
  onKeys(keys: string[] | null): void;
  /** The connection is gone (after `ready`, or instead of it). Called once. */
  onDown(error: Error): void;
}

const CHANNEL = '__redis__:invalidate';

/**
 * A connection of its own that receives Redis's invalidation messages for `CLIENT TRACKING ... REDIRECT <id>`.
 * It speaks RESP itself: an ioredis subscriber (RESP3 by default since ioredis 6) gets these as RESP3 pushes
 * (`>2 invalidate [keys]`) and emits no message for them. Both that form and the RESP2 pub/sub `message` form are read.
 */
export function listenForInvalidations(
  target: ListenerTarget,
  handlers: ListenerHandlers,
): InvalidationListener {
  const socket: Socket = target.tls
    ? connectTls({ host: target.host, port: target.port, ...target.tls })
    : target.path
      ? connectTcp({ path: target.path })
      : connectTcp({ host: target.host ?? '127.0.0.1', port: target.port ?? 6379 });
  socket.setNoDelay(true);
  // Replies to our own commands, in order: AUTH (maybe), CLIENT ID, SUBSCRIBE, then one per PING.
  const waiting: Array<{ resolve(value: unknown): void; reject(error: Error): void }> = [];
  let buffered: Buffer = Buffer.alloc(0);
  let down = false;

  const fail = (error: Error) => {
    if (down) return;
    down = true;
    socket.destroy();
    for (const pending of waiting.splice(0)) pending.reject(error);
    handlers.onDown(error);
  };
  const command = (...parts: string[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (down) {
        reject(new Error('[store-redis] the invalidation connection is closed'));
        return;
      }
      waiting.push({ resolve, reject });
      socket.write(
        `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`,
      );
    });

  const onMessage = (value: unknown) => {
    if (isInvalidation(value)) {
      const keys = (value.kind === 'push' ? value.items[1] : value.items[2]) as Aggregate | null;
      handlers.onKeys(keys === null ? null : keys.items.map((key) => String(key)));
      return;
    }
    if (value instanceof Error) {
      fail(value);
      return;
    }
    waiting.shift()?.resolve(value);
  };
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    let offset = 0;
    for (;;) {
      const parsed = parseValue(buffered, offset);
      if (!parsed) break;
      offset = parsed.next;
      onMessage(parsed.value);
      if (down) return;
    }
    buffered = offset === buffered.length ? Buffer.alloc(0) : buffered.subarray(offset);
  });
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('[store-redis] the invalidation connection closed')));

  const ready = (async () => {
    if (target.password !== undefined) {
      await (target.username === undefined
        ? command('AUTH', target.password)
        : command('AUTH', target.username, target.password));
    }
    const id = await command('CLIENT', 'ID');
    await command('SUBSCRIBE', CHANNEL);
    return Number(id);
  })();
  // A refused AUTH or subscription leaves the connection useless: it goes down like a lost one.
  ready.catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));

  return {
    ready,
    sync: async () => {
      await command('PING');
    },
    close: () => {
      down = true;
      socket.destroy();
      for (const pending of waiting.splice(0)) pending.reject(new Error('[store-redis] closed'));
    },
  };
}

interface Aggregate {
  kind: 'array' | 'push';
  items: unknown[];
}

function isInvalidation(value: unknown): value is Aggregate {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  const { kind, items } = value as Aggregate;
  const word = (item: unknown) => (Buffer.isBuffer(item) ? item.toString('utf8') : undefined);
  if (kind === 'push') return items.length === 2 && word(items[0]) === 'invalidate';
  return items.length === 3 && word(items[0]) === 'message' && word(items[1]) === CHANNEL;
}

/** One RESP2 or RESP3 value at `offset`, or `undefined` when the buffer does not hold all of it yet. */
function parseValue(buffer: Buffer, offset: number): { value: unknown; next: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset]!);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: afterLine };
    case '-':
      return { value: new Error(`[store-redis] ${line}`), next: afterLine };
    case ':':
      return { value: Number(line), next: afterLine };
    case '_':
      return { value: null, next: afterLine };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next: afterLine };
      if (buffer.length < afterLine + length + 2) return undefined;
      return { value: buffer.subarray(afterLine, afterLine + length), next: afterLine + length + 2 };
    }
    case '*':
    case '>': {
      const count = Number(line);
      if (count < 0) return { value: null, next: afterLine };
      const items: unknown[] = [];
      let next = afterLine;
      for (let index = 0; index < count; index++) {
        const item = parseValue(buffer, next);
        if (!item) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: { kind: type === '>' ? 'push' : 'array', items }, next };
    }
    default:
      return {
        value: new Error(`[store-redis] unexpected reply type ${JSON.stringify(type)}`),
        next: afterLine,
      };
  }
}
