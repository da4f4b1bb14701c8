import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive } from './processes.js';
import { redisAvailable } from './redis-available.js';
import { type RedisServerHandle, startRedisServer } from './redis-server.js';
import { sendCommand } from './resp.js';
import { describeWithRedis } from './vitest.js';

const ping = (port: number, timeoutMs = 1_000) => sendCommand(port, ['PING'], timeoutMs);

describeWithRedis('startRedisServer', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.stop());

  it('starts a throwaway server on a free port that answers PING', async () => {
    expect(server.port).toBeGreaterThanOrEqual(20_000);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(isAlive(server.pid)).toBe(true);
    expect(await ping(server.port)).toEqual({ type: 'status', text: 'PONG' });
  });

  it('pauses, resumes, kills and restarts on the same port', async () => {
    server.pause();
    await expect(ping(server.port, 200)).rejects.toThrow(/no reply/);
    server.resume();
    expect((await ping(server.port)).type).toBe('status');

    const before = server.pid;
    server.kill();
    await expect.poll(() => isAlive(before)).toBe(false);
    await expect(ping(server.port)).rejects.toThrow(/ECONNREFUSED|ECONNRESET/);

    await server.restart();
    expect(server.pid).not.toBe(before);
    expect((await ping(server.port)).type).toBe('status');
  });

  it('stops by pid and removes its directory', async () => {
    const other = await startRedisServer();
    const { pid, dir } = other;
    await other.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    await other.stop(); // harmless
  });

  it('starts with a password and with an ACL user', async () => {
    const protectedServer = await startRedisServer({
      password: 'secret',
      aclUser: { name: 'cache', password: 'pw', rules: ['~*', '+@all'] },
    });
    try {
      expect(await ping(protectedServer.port)).toMatchObject({
        type: 'error',
        text: expect.stringMatching(/^NOAUTH/),
      });
      expect(await sendCommand(protectedServer.port, ['AUTH', 'secret'])).toEqual({
        type: 'status',
        text: 'OK',
      });
      expect(await sendCommand(protectedServer.port, ['AUTH', 'cache', 'pw'])).toEqual({
        type: 'status',
        text: 'OK',
      });
    } finally {
      await protectedServer.stop();
    }
  });

  it('leaves no server behind when the starting process exits or is killed', async () => {
    for (const mode of ['exit', 'hang']) {
      const child = spawn(
        process.execPath,
        ['--conditions=@prompt-cache/source', '--import', tsx, fixture, mode],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const line = await new Promise<string>((resolve) =>
        child.stdout.once('data', (data) => resolve(String(data))),
      );
      const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
      if (mode === 'hang') child.kill('SIGKILL'); // no exit hooks run: the watchdog must clean up
      await expect.poll(() => isAlive(pid), { timeout: 5_000 }).toBe(false);
      await expect.poll(() => existsSync(dir), { timeout: 5_000 }).toBe(false);
    }
  });
});

it('tells whether a binary is on PATH', () => {
  expect(redisAvailable('surely-not-a-binary-here')).toBe(false);
});

const tsx = createRequire(import.meta.url).resolve('tsx');
const fixture = fileURLToPath(new URL('../test/fixtures/orphan-server.ts', import.meta.url));
