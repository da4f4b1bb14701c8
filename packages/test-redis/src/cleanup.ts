import { spawn } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRedisServer, signal } from './processes.js';

/**
 * Every server this process started and has not stopped yet. Two safety nets make sure none outlives
 * the test run: a `process.on('exit')` hook (normal exits), and a small detached watchdog process that
 * kills the listed servers when this process disappears without running its exit hooks (SIGKILL, crash).
 */
interface Tracked {
  pid: number | undefined;
  dir: string;
}

const tracked = new Map<object, Tracked>();
const registryFile = join(tmpdir(), `prompt-cache-test-redis-${process.pid}.json`);
let hooked = false;

export function track(owner: object, entry: Tracked): void {
  tracked.set(owner, entry);
  install();
  writeRegistry();
}

export function untrack(owner: object): void {
  if (tracked.delete(owner)) writeRegistry();
}

function writeRegistry(): void {
  const temporary = `${registryFile}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temporary, JSON.stringify([...tracked.values()]));
  renameSync(temporary, registryFile);
}

function install(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const { pid, dir } of tracked.values()) {
      if (pid !== undefined && isRedisServer(pid)) {
        signal(pid, 'SIGCONT');
        signal(pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    }
    tracked.clear();
    rmSync(registryFile, { force: true }); // the watchdog sees it gone and exits
  });
  writeRegistry();
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), registryFile], {
    detached: true,
    stdio: 'ignore',
    env,
  });
  watchdog.unref();
}

// Plain CommonJS, run with `node -e`: polls the parent; when it is gone, kills what the registry lists.
const WATCHDOG = `
const fs = require('node:fs');
const parent = Number(process.argv[1]);
const registry = process.argv[2];
const hasProc = fs.existsSync('/proc/self');
const alive = (pid) => {
  try { process.kill(pid, 0); } catch { return false; }
  if (!hasProc) return true;
  try { const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8'); return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'; } catch { return false; }
};
const isRedis = (pid) => !hasProc || (() => { try { return fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').includes('redis-server'); } catch { return false; } })();
setInterval(() => {
  if (!fs.existsSync(registry)) process.exit(0);
  if (alive(parent)) return;
  let list = [];
  try { list = JSON.parse(fs.readFileSync(registry, 'utf8')); } catch {}
  for (const entry of list) {
    if (entry.pid && alive(entry.pid) && isRedis(entry.pid)) {
      try { process.kill(entry.pid, 'SIGCONT'); process.kill(entry.pid, 'SIGKILL'); } catch {}
    }
    try { fs.rmSync(entry.dir, { recursive: true, force: true }); } catch {}
  }
  try { fs.rmSync(registry, { force: true }); } catch {}
  process.exit(0);
}, 500);
`;
