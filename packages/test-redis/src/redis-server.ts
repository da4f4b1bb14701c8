import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track, untrack } from './cleanup.js';
import { findFreePort } from './free-port.js';
import { delay, isAlive, isRedisServer, signal, waitForExit } from './processes.js';
import { REDIS_INSTALL_HINT } from './redis-available.js';
import { sendCommand } from './resp.js';

/** An ACL user created at start-up (`--user <name> on ><password> <rules...>`). */
export interface AclUser {
  name: string;
  password: string;
  /** ACL rules for the user. Default `['~*', '&*', '+@all']` (every key, channel and command). */
  rules?: string[];
}

export interface RedisServerOptions {
  /** Extra `redis-server` arguments, appended last (e.g. `['--maxmemory', '10mb']`). Default none. */
  args?: string[];
  /** Sets `--requirepass` (the password of the `default` user). Default none. */
  password?: string;
  /** Creates one ACL user. Default none. */
  aclUser?: AclUser;
  /** A fixed port instead of a free one picked at random. Default: a free port in 20000-29999. */
  port?: number;
  /** Also checks that port + 10000 is free (a Cluster node's bus port). Default `false`. */
  needsBusPort?: boolean;
  /** How long to wait for the server to answer PING. Default `10_000` ms. */
  startTimeoutMs?: number;
}

/** A redis-server started by the harness. It lives in its own temp directory and dies with the test run. */
export interface RedisServerHandle {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, without credentials. */
  readonly url: string;
  /** Pid of the running server (changes after {@link restart}). */
  readonly pid: number;
  /** The server's own directory: pid file, log, cluster config. Removed by {@link stop}. */
  readonly dir: string;
  /** Stops the server by pid (SIGTERM, then SIGKILL) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGSTOP: the server keeps its socket open but answers nothing (a hung server). */
  pause(): void;
  /** SIGCONT: undoes {@link pause}. */
  resume(): void;
  /** SIGKILL: an abrupt outage. The data is gone; {@link restart} brings up an empty server on the same port. */
  kill(): void;
  /** Starts the server again on the same port and directory (after {@link kill}, or kills it first). */
  restart(): Promise<void>;
  /** The last lines of the server's log, for failure messages. */
  logTail(lines?: number): string;
}

/**
 * Starts `redis-server --port N --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --dir D --pidfile D/redis-N.pid`
 * on a free port in a fresh temp directory, and resolves once it answers PING.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'prompt-cache-redis-'));
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const owner = {};
  track(owner, { pid: undefined, dir });
  let port = 0;
  let pid = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      port = options.port ?? (await findFreePort({ withBusPort: options.needsBusPort }));
      try {
        pid = await launch(port, dir, serverArgs(port, dir, options), timeoutMs);
        break;
      } catch (error) {
        // Another process took the port between our check and the server's bind: pick another one.
        if (!(error instanceof PortInUseError) || options.port !== undefined || attempt >= 5) throw error;
      }
    }
  } catch (error) {
    untrack(owner);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  track(owner, { pid, dir });

  let stopped = false;
  const handle: RedisServerHandle = {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return pid;
    },
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate(pid, port, options);
      untrack(owner);
      rmSync(dir, { recursive: true, force: true });
    },
    pause() {
      signal(pid, 'SIGSTOP');
    },
    resume() {
      signal(pid, 'SIGCONT');
    },
    kill() {
      if (!isRedisServer(pid)) return;
      signal(pid, 'SIGCONT');
      signal(pid, 'SIGKILL');
    },
    async restart() {
      if (stopped) throw new Error('[test-redis] restart() after stop(): start a new server instead');
      if (isRedisServer(pid)) handle.kill();
      await waitForExit(pid, 5_000);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          pid = await launch(port, dir, serverArgs(port, dir, options), timeoutMs);
          break;
        } catch (error) {
          // The killed server's socket can take a moment to be released.
          if (!(error instanceof PortInUseError) || Date.now() > deadline) throw error;
          await delay(50);
        }
      }
      track(owner, { pid, dir });
    },
    logTail(lines = 20) {
      return readLogTail(join(dir, `redis-${port}.log`), lines);
    },
  };
  return handle;
}

function serverArgs(port: number, dir: string, options: RedisServerOptions): string[] {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--dir',
    dir,
    '--pidfile',
    join(dir, `redis-${port}.pid`),
    '--logfile',
    join(dir, `redis-${port}.log`),
  ];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  if (options.aclUser) {
    const { name, password, rules = ['~*', '&*', '+@all'] } = options.aclUser;
    args.push('--user', name, 'on', `>${password}`, ...rules);
  }
  args.push(...(options.args ?? []));
  return args;
}

class PortInUseError extends Error {}

/** Runs the daemonizing redis-server, then waits for its pid file and a PING reply. Returns the daemon's pid. */
async function launch(port: number, dir: string, args: string[], timeoutMs: number): Promise<number> {
  const pidFile = join(dir, `redis-${port}.pid`);
  const logFile = join(dir, `redis-${port}.log`);
  rmSync(pidFile, { force: true });
  rmSync(logFile, { force: true });
  await new Promise<void>((resolve, reject) => {
    execFile('redis-server', args, { timeout: timeoutMs }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        reject(new Error(`[test-redis] redis-server is not on PATH; install it with: ${REDIS_INSTALL_HINT}`));
      } else {
        reject(
          new Error(`[test-redis] redis-server refused to start: ${String(stderr).trim() || error.message}`),
        );
      }
    });
  });
  const deadline = Date.now() + timeoutMs;
  // Redis binds its port before it writes the pid file, so a pid file means the port is ours.
  let pid: number | undefined;
  while (pid === undefined) {
    if (existsSync(pidFile)) {
      const text = readFileSync(pidFile, 'utf8').trim();
      if (text) pid = Number(text);
    }
    if (pid !== undefined) break;
    const log = readLogTail(logFile, 5);
    if (/Address already in use|Could not create server TCP listening socket/i.test(log)) {
      throw new PortInUseError(`port ${port} is in use`);
    }
    if (Date.now() > deadline || /# (Fatal|Can't|Failed)/.test(log)) {
      throw new Error(`[test-redis] redis-server on port ${port} did not start:\n${log}`);
    }
    await delay(10);
  }
  for (;;) {
    try {
      const reply = await sendCommand(port, ['PING'], 500);
      // PONG, or NOAUTH when a password is set: either way the server is serving.
      if (reply.type === 'status' || (reply.type === 'error' && !reply.text.startsWith('LOADING')))
        return pid;
    } catch {
      // not accepting yet
    }
    if (!isAlive(pid) || Date.now() > deadline) {
      throw new Error(
        `[test-redis] redis-server on port ${port} does not answer PING:\n${readLogTail(logFile, 10)}`,
      );
    }
    await delay(10);
  }
}

/** Stops by pid: SIGCONT (in case it is paused), SIGTERM, then SIGKILL; `redis-cli shutdown nosave` if the pid fails. */
async function terminate(pid: number, port: number, options: RedisServerOptions): Promise<void> {
  if (!isRedisServer(pid)) return;
  try {
    signal(pid, 'SIGCONT');
    signal(pid, 'SIGTERM');
  } catch {
    await shutdownWithCli(port, options);
  }
  if (await waitForExit(pid, 3_000)) return;
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 2_000);
}

function shutdownWithCli(port: number, options: RedisServerOptions): Promise<void> {
  const auth = options.password !== undefined ? ['-a', options.password, '--no-auth-warning'] : [];
  return new Promise((resolve) => {
    execFile('redis-cli', ['-p', String(port), ...auth, 'shutdown', 'nosave'], { timeout: 3_000 }, () =>
      resolve(),
    );
  });
}

function readLogTail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
