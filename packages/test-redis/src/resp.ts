import { connect } from 'node:net';

/** One reply of a RESP server, reduced to what the harness needs. */
export type RespReply =
  | { type: 'status'; text: string }
  | { type: 'error'; text: string }
  | { type: 'integer'; value: number }
  | { type: 'bulk'; text: string | null };

/**
 * Sends one command to 127.0.0.1:`port` over a fresh socket and returns its first reply.
 * No client library: the harness stays dependency-free and can probe a server that requires auth
 * (the `-NOAUTH` reply still proves the server is up). Rejects on connection errors and after `timeoutMs`.
 */
export function sendCommand(port: number, args: string[], timeoutMs = 1_000): Promise<RespReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    const finish = (error: Error | undefined, reply?: RespReply) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(
      () => finish(new Error(`no reply from 127.0.0.1:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('error', (error) => finish(error));
    socket.on('connect', () => {
      socket.write(
        `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`,
      );
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const reply = parseReply(buffer);
      if (reply) finish(undefined, reply);
    });
    socket.on('close', () => finish(new Error(`127.0.0.1:${port} closed the connection without a reply`)));
  });
}

function parseReply(buffer: Buffer): RespReply | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd < 0) return undefined;
  const line = buffer.toString('utf8', 1, lineEnd);
  switch (String.fromCharCode(buffer[0]!)) {
    case '+':
      return { type: 'status', text: line };
    case '-':
      return { type: 'error', text: line };
    case ':':
      return { type: 'integer', value: Number(line) };
    case '$': {
      const length = Number(line);
      if (length < 0) return { type: 'bulk', text: null };
      if (buffer.length < lineEnd + 2 + length + 2) return undefined;
      return { type: 'bulk', text: buffer.toString('utf8', lineEnd + 2, lineEnd + 2 + length) };
    }
    case '=': {
      // RESP3 verbatim string: "=<len>\r\ntxt:<text>\r\n"
      const length = Number(line);
      if (buffer.length < lineEnd + 2 + length + 2) return undefined;
      return { type: 'bulk', text: buffer.toString('utf8', lineEnd + 2 + 4, lineEnd + 2 + length) };
    }
    default:
      return { type: 'error', text: `unexpected reply ${JSON.stringify(line)}` };
  }
}
