import type { ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

/** How long a connection may take, or idle, and how many may be open at once. Every time is in ms. */
export interface SocketLimits {
  /**
   * Longest wait for a request's headers (HTTP/1.1), and for the first bytes that tell the protocol (both).
   * Default `20000`.
   */
  headersTimeoutMs?: number;
  /** Longest wait for a whole HTTP/1.1 request, body included. Default `120000`. */
  requestTimeoutMs?: number;
  /** How long an idle HTTP/1.1 keep-alive connection stays open. Default `5000`. */
  keepAliveTimeoutMs?: number;
  /** How long an HTTP/2 session with no traffic at all stays open. Default `60000`. */
  sessionTimeoutMs?: number;
  /**
   * Most open connections. At the cap a new connection closes the longest-open idle one, so that a flood of idle
   * sockets cannot lock out new requests; when none is idle, the new one is refused. Keep it below the process's
   * file-descriptor limit (`ulimit -n`, often 1024). Default `800`.
   */
  maxConnections?: number;
}

/** The defaults of {@link SocketLimits}. */
export const DEFAULT_SOCKET_LIMITS: Required<SocketLimits> = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  sessionTimeoutMs: 60_000,
  maxConnections: 800,
};

/** Fills in defaults and checks each limit is a positive whole number. */
export function resolveSocketLimits(limits: SocketLimits = {}): Required<SocketLimits> {
  const resolved = { ...DEFAULT_SOCKET_LIMITS };
  for (const name of Object.keys(DEFAULT_SOCKET_LIMITS) as Array<keyof SocketLimits>) {
    const value = limits[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`[bedrock-simulator] ${name} must be a whole number >= 1; got ${String(value)}`);
    }
    resolved[name] = value;
  }
  return resolved;
}

/** The HTTP/1.1 server's timeouts (Node checks the first two every `connectionsCheckingInterval`). */
export function http1ServerOptions(limits: Required<SocketLimits>): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.ceil(limits.headersTimeoutMs / 4)),
  };
}

/**
 * The open connections, in the order they were opened, with the requests each is serving, so that at the cap
 * the longest-open idle connection makes room for a new one.
 */
export class ConnectionTable {
  private readonly busy = new Map<Socket, number>();

  constructor(private readonly maxConnections: number) {}

  get size(): number {
    return this.busy.size;
  }

  get sockets(): Iterable<Socket> {
    return this.busy.keys();
  }

  /** Admits a new connection (closing an idle one at the cap); `false` when it was refused. */
  admit(socket: Socket): boolean {
    if (this.busy.size >= this.maxConnections) {
      const idle = [...this.busy].find(([, requests]) => requests === 0)?.[0];
      if (!idle) {
        socket.destroy();
        return false;
      }
      this.busy.delete(idle);
      idle.destroy();
    }
    this.busy.set(socket, 0);
    socket.once('close', () => this.busy.delete(socket));
    return true;
  }

  /** Counts a request on `socket` until `done` is called. */
  requestStarted(socket: Socket | undefined): () => void {
    if (!socket || !this.busy.has(socket)) return () => undefined;
    this.busy.set(socket, (this.busy.get(socket) ?? 0) + 1);
    let counted = true;
    return () => {
      if (!counted) return;
      counted = false;
      const requests = this.busy.get(socket);
      if (requests !== undefined) this.busy.set(socket, Math.max(0, requests - 1));
    };
  }
}
