import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockfilePins } from './lockfile-pins.ts';
import { installUserProject, type PackageManager, tarballName, type UserProject } from './user-project.ts';

// Users install our packages before the first release the way the README says: `pnpm pack:all` packs every
// public package into one folder, then npm installs the tarballs they use, and pnpm does the same after the
// README's `overrides` lines. This test follows that path with both package managers, for store-redis alone
// and for bedrock with its dependencies, and uses what it installed (a Redis round trip, a cached Converse
// call against the simulator), in ESM and CommonJS.
//
// Same result on any day, with an empty store and cache: every third-party package is pinned to the version
// our pnpm-lock.yaml resolved (lockfile-pins.ts), the test's only addition to the documented commands. The
// packages are fetched from the registry at exactly those versions, so an empty pnpm store is filled, never
// asked for a version it lacks; no version is ever chosen outside our lockfile.
const root = resolve(import.meta.dirname, '../../..');
const packagesDirectory = join(root, 'packages');
const published = readdirSync(packagesDirectory)
  .filter((name) => !JSON.parse(readFileSync(join(packagesDirectory, name, 'package.json'), 'utf8')).private)
  .map(
    (name) => JSON.parse(readFileSync(join(packagesDirectory, name, 'package.json'), 'utf8')).name as string,
  )
  .sort();

/** A line of code per package that proves its main export loads, in both module systems. */
const smoke: Record<string, string> = {
  '@prompt-cache/core': `m.deriveKey({ prompt: 'hi' }).startsWith('default:v1:')`,
  '@prompt-cache/store-memory': `m.createMemoryStore().name === 'memory'`,
  '@prompt-cache/store-file': `typeof m.createFileStore === 'function'`,
  '@prompt-cache/store-redis': `typeof m.createRedisStore === 'function'`,
  '@prompt-cache/pricing': `m.costOf('amazon.nova-lite-v1:0', { inputTokens: 1e6, outputTokens: 0 }) === 0.06`,
  '@prompt-cache/bedrock': `typeof m.withPromptCache === 'function'`,
  '@prompt-cache/bedrock-simulator': `typeof m.createBedrockSimulator === 'function'`,
  '@prompt-cache/ai-sdk': `typeof m.promptCacheMiddleware === 'function'`,
  '@prompt-cache/langchain': `typeof m.PromptCacheLangChainCache === 'function'`,
  '@prompt-cache/semantic': `typeof m.createSemanticStage === 'function'`,
  '@prompt-cache/store-keyv': `typeof m.createKeyvStore === 'function' && typeof m.KeyvStoreAdapter === 'function'`,
};

/** A line per subpath export, likewise: what store authors and Bedrock's own prompt cache import. */
const subpathSmoke: Record<string, string> = {
  '@prompt-cache/core/store-kit': `m.isExpired({ expiresAt: 1 }, 2) && typeof m.serializeEntry === 'function'`,
  '@prompt-cache/bedrock/cache-points': `typeof m.placeCachePoints === 'function' && m.MAX_CACHE_CHECKPOINTS === 4`,
};

/** The README's store-redis example: the second identical question is a hit, shared through Redis. */
const redisRoundTrip = `
import { createPromptCache } from '@prompt-cache/core';
import { createRedisStore } from '@prompt-cache/store-redis';
const store = createRedisStore({ url: process.env.REDIS_URL, keyPrefix: process.env.KEY_PREFIX });
const cache = createPromptCache({ store, ttlSeconds: 60 });
const first = await cache.getOrCompute({ prompt: 'What is a cache?' }, async () => 'a fast copy');
const second = await cache.getOrCompute({ prompt: 'What is a cache?' }, async () => 'not called');
await cache.close();
console.log(JSON.stringify([first.status, second.status, second.value]));
`;

/** The bedrock README's example against the simulator the user installed too: one model call, one hit. */
const bedrockRoundTrip = `
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { withPromptCache } from '@prompt-cache/bedrock';
import { createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { createMemoryStore } from '@prompt-cache/store-memory';
const simulator = createBedrockSimulator({ latency: 0 });
const { url } = await simulator.listen({ port: 0 });
const client = new BedrockRuntimeClient({
  endpoint: url, region: 'us-east-1', maxAttempts: 1,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const cached = withPromptCache(client, { store: createMemoryStore(), ttlSeconds: 60 });
const input = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'What is a TTL?' }] }] };
const first = await client.send(new ConverseCommand(input));
const second = await client.send(new ConverseCommand(input));
const { hits, misses } = cached.stats.snapshot();
await cached.close();
client.destroy();
await simulator.close();
console.log(JSON.stringify({
  same: first.output.message.content[0].text === second.output.message.content[0].text,
  simulated: first.output.message.content[0].text.startsWith('[simulated]'),
  upstreamCalls: simulator.calls.length, hits, misses,
}));
`;

let tarballs: string;
let npmCache: string;
let redis: RedisServerHandle;
const projects: UserProject[] = [];

beforeAll(async () => {
  tarballs = mkdtempSync(join(tmpdir(), 'prompt-cache-dist-packages-'));
  npmCache = mkdtempSync(join(tmpdir(), 'prompt-cache-npm-cache-'));
  // What `pnpm pack:all` runs after building (turbo has built the packages before this test).
  execFileSync(process.execPath, [join(root, 'scripts/pack-all.mjs'), tarballs], { stdio: 'ignore' });
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis?.stop();
  for (const directory of [tarballs, npmCache, ...projects.map((project) => project.directory)]) {
    if (directory) rmSync(directory, { recursive: true, force: true });
  }
});

it('depends on every public package, so that turbo builds them all before this test packs them', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'tests/packaging/package.json'), 'utf8'));
  const workspaceDependencies = Object.keys(manifest.devDependencies).filter((name) =>
    name.startsWith('@prompt-cache/'),
  );
  expect(workspaceDependencies).toEqual(expect.arrayContaining(published));
});

it('pack:all packs every public package into one folder', () => {
  expect(readdirSync(tarballs).sort()).toEqual(published.map(tarballName).sort());
  expect(published).toEqual(Object.keys(smoke).sort());
});

it('ships no test files and no workspace: ranges', () => {
  for (const file of readdirSync(tarballs)) {
    const listing = execFileSync('tar', ['-tzf', join(tarballs, file)], { encoding: 'utf8' });
    expect(listing).not.toMatch(/\.test\.ts/);
    const manifest = execFileSync('tar', ['-xzOf', join(tarballs, file), 'package/package.json'], {
      encoding: 'utf8',
    });
    expect(manifest).not.toContain('workspace:');
  }
});

/**
 * What a user adds beside our packages: their required peers (the AWS SDK client, ai, @langchain/core, keyv),
 * installed at the versions our lockfile tested. Optional peers (vitest, semantic) are left out.
 */
function userPeersOf(importers: string[]): string[] {
  const peers = new Set<string>();
  for (const importer of importers) {
    const manifest = JSON.parse(readFileSync(join(root, importer, 'package.json'), 'utf8'));
    for (const name of Object.keys(manifest.peerDependencies ?? {})) {
      if (!manifest.peerDependenciesMeta?.[name]?.optional) peers.add(name);
    }
  }
  return [...peers].sort();
}

/** Every registry package installed is one our pnpm-lock.yaml resolved, at the same version. */
function expectLockfileVersions(project: UserProject): void {
  const installed = project.installedFromRegistry();
  expect(installed.length).toBeGreaterThan(0);
  expect(installed.filter((entry) => !project.pins.resolved.has(entry))).toEqual([]);
}

function expectNoPeerWarnings(manager: PackageManager, project: UserProject): void {
  expect(project.installOutput).not.toMatch(/peer/i);
  if (manager === 'pnpm') {
    expect(execFileSync('pnpm', ['peers', 'check'], { cwd: project.directory, encoding: 'utf8' })).toContain(
      'No peer dependency issues found',
    );
  } else {
    // Exits non-zero on a missing or invalid dependency, peers included.
    execFileSync('npm', ['ls', '--all'], { cwd: project.directory, encoding: 'utf8', stdio: 'pipe' });
  }
}

function expectCleanInstall(manager: PackageManager, project: UserProject): void {
  expectLockfileVersions(project);
  expectNoPeerWarnings(manager, project);
}

describe.each<PackageManager>(['npm', 'pnpm'])('installed with %s from pnpm pack:all', (manager) => {
  function install(packages: string[], registry: string[], importers: string[]): UserProject {
    const pins = lockfilePins(root, importers, registry);
    const project = installUserProject({ manager, tarballs, published, packages, registry, pins, npmCache });
    projects.push(project);
    return project;
  }

  describe('@prompt-cache/store-redis alone', () => {
    let project: UserProject;
    beforeAll(() => {
      project = install(
        ['@prompt-cache/core', '@prompt-cache/store-redis'],
        [],
        ['packages/core', 'packages/store-redis'],
      );
    });

    it("installs our lockfile's versions, without peer warnings", () => expectCleanInstall(manager, project));

    it('caches through a real Redis', () => {
      const output = project.run('redis-round-trip.mjs', redisRoundTrip, {
        REDIS_URL: redis.url,
        KEY_PREFIX: `packaging-${manager}:`,
      });
      expect(JSON.parse(output)).toEqual(['miss', 'hit', 'a fast copy']);
    });
  });

  describe('@prompt-cache/bedrock with its dependencies', () => {
    let project: UserProject;
    beforeAll(() => {
      const importers = published.map((name) => `packages/${name.replace('@prompt-cache/', '')}`);
      project = install(published, userPeersOf(importers), importers);
    });

    it("installs our lockfile's versions, without peer warnings", () => expectCleanInstall(manager, project));

    it('answers the second identical Converse call from the cache', () => {
      const output = project.run('bedrock-round-trip.mjs', bedrockRoundTrip);
      expect(JSON.parse(output)).toEqual({
        same: true,
        simulated: true,
        upstreamCalls: 1,
        hits: 1,
        misses: 1,
      });
    });

    it.each(
      Object.entries({ ...smoke, ...subpathSmoke }),
    )('%s loads from ESM and CommonJS', (name, check) => {
      const esm = `import * as m from '${name}'; if (!(${check})) throw new Error('smoke check failed'); console.log('ok');`;
      const cjs = `const m = require('${name}'); if (!(${check})) throw new Error('smoke check failed'); console.log('ok');`;
      expect(project.run('smoke.mjs', esm).trim()).toBe('ok');
      expect(project.run('smoke.cjs', cjs).trim()).toBe('ok');
    });
  });
});
