import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { ENTRY_SCHEMA_VERSION } from '@prompt-cache/core/store-kit';
import { findFreePort, requirementMet, requireRedis } from '@prompt-cache/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from './redis-store.js';

// Debian's redis-server is built with TLS. The test makes a self-signed certificate for 127.0.0.1, starts a
// server that speaks only TLS, and connects with rediss:// and the certificate as the trusted CA.
const canRun =
  requireRedis('the TLS tests') &&
  requirementMet(spawnSync('openssl', ['version']).status === 0, {
    missing: 'openssl (not on PATH)',
    tests: 'the TLS tests',
    install: 'apt-get update && apt-get install -y openssl',
  });

describe.skipIf(!canRun)('createRedisStore over TLS', () => {
  const directory = mkdtempSync(join(tmpdir(), 'prompt-cache-redis-tls-'));
  const file = (name: string) => join(directory, name);
  let port: number;
  let pid: number;

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', file('key.pem'), '-out', file('cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    port = await findFreePort();
    execFileSync('redis-server', [
      ...['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1'],
      ...[
        '--tls-cert-file',
        file('cert.pem'),
        '--tls-key-file',
        file('key.pem'),
        '--tls-ca-cert-file',
        file('cert.pem'),
      ],
      ...['--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--daemonize', 'yes'],
      ...['--dir', directory, '--pidfile', file('redis.pid'), '--logfile', file('redis.log')],
    ]);
    for (let attempt = 0; attempt < 100; attempt++) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, ca: readFileSync(file('cert.pem')) }, () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    pid = Number(readFileSync(file('redis.pid'), 'utf8'));
  });

  afterAll(() => {
    if (pid) process.kill(pid, 'SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  });

  it('stores and reads entries over rediss:// with a trusted certificate', async () => {
    const store = createRedisStore({
      url: `rediss://127.0.0.1:${port}`,
      tls: { ca: readFileSync(file('cert.pem')) },
      keyPrefix: 'tls:',
      commandTimeoutMs: 5_000,
    });
    const entry = {
      version: ENTRY_SCHEMA_VERSION,
      value: 'over TLS',
      createdAt: Date.now(),
      expiresAt: null,
      meta: {},
    };
    await store.set('k', entry);
    expect((await store.get('k'))?.value).toBe('over TLS');
    await store.close!();
  });

  it('refuses a server whose certificate it does not trust, in one line', async () => {
    const store = createRedisStore({
      url: `rediss://127.0.0.1:${port}`,
      keyPrefix: 'tls:',
      commandTimeoutMs: 2_000,
    });
    const failure = await store.get('k').catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    // The certificate check is the cause, named by its code: a timeout or a refused connection must not pass.
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^\\[store-redis\\] cannot reach rediss://127\\.0\\.0\\.1:${port} \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)`,
      ),
    );
    expect((failure as Error).message).not.toContain('\n');
    await store.close!();
  });
});
