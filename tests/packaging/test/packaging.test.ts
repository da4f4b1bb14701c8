import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Users install our packages one at a time from the registry. This test does the same with the
// packed tarballs: an empty project that depends on the tarballs (third-party dependencies come from the
// local pnpm store, offline: tests never reach a registry), then each package imported from ESM and CommonJS.
const root = resolve(import.meta.dirname, '../../..');
const packagesDirectory = join(root, 'packages');
const publishable = readdirSync(packagesDirectory)
  .map((name) => ({
    directory: join(packagesDirectory, name),
    manifest: readManifest(join(packagesDirectory, name)),
  }))
  .filter(({ manifest }) => !manifest.private);

/** A line of code per package that proves its main export works, in both module systems. */
const smoke: Record<string, { name: string; check: string }> = {
  '@prompt-cache/core': {
    name: 'deriveKey',
    check: `m.deriveKey({ prompt: 'hi' }).startsWith('default:v1:')`,
  },
  '@prompt-cache/store-memory': {
    name: 'createMemoryStore',
    check: `m.createMemoryStore().name === 'memory'`,
  },
  '@prompt-cache/store-file': { name: 'createFileStore', check: `typeof m.createFileStore === 'function'` },
  '@prompt-cache/store-redis': {
    name: 'createRedisStore',
    check: `typeof m.createRedisStore === 'function'`,
  },
  '@prompt-cache/pricing': {
    name: 'costOf',
    check: `m.costOf('amazon.nova-lite-v1:0', { inputTokens: 1e6, outputTokens: 0 }) === 0.06`,
  },
  '@prompt-cache/bedrock': { name: 'withPromptCache', check: `typeof m.withPromptCache === 'function'` },
  '@prompt-cache/semantic': {
    name: 'createSemanticStage',
    check: `typeof m.createSemanticStage === 'function' && m.DEFAULT_THRESHOLD === 0.5`,
  },
  '@prompt-cache/bedrock-simulator': {
    name: 'createBedrockSimulator',
    check: `typeof m.createBedrockSimulator === 'function'`,
  },
};

let project: string;
let tarballs: string;

function readManifest(directory: string): { name: string; private?: boolean; version: string } {
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  tarballs = mkdtempSync(join(tmpdir(), 'prompt-cache-tarballs-'));
  project = mkdtempSync(join(tmpdir(), 'prompt-cache-user-'));
  const dependencies: Record<string, string> = { '@aws-sdk/client-bedrock-runtime': '3.1164.0' };
  for (const { directory, manifest } of publishable) {
    const file = run('pnpm', ['pack', '--pack-destination', tarballs], directory).trim().split('\n').pop()!;
    dependencies[manifest.name] = `file:${join(tarballs, basename(file))}`;
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'a-user-project', private: true, dependencies }),
  );
  // Peer ranges such as "@prompt-cache/core": "^0.1.0" must resolve to the tarballs, not to a registry.
  const overrides = Object.entries(dependencies)
    .filter(([name]) => name.startsWith('@prompt-cache/'))
    .map(([name, spec]) => `  "${name}": "${spec}"`);
  writeFileSync(join(project, 'pnpm-workspace.yaml'), `overrides:\n${overrides.join('\n')}\n`);
  run('pnpm', ['install', '--offline'], project);
});

afterAll(() => {
  rmSync(tarballs, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

describe('installed from packed tarballs', () => {
  it('packs every publishable package', () => {
    expect(publishable.map(({ manifest }) => manifest.name).sort()).toEqual(Object.keys(smoke).sort());
  });

  it.each(Object.entries(smoke))('%s works from ESM', (name, { check }) => {
    const code = `import * as m from '${name}'; if (!(${check})) { throw new Error('smoke check failed'); } console.log('ok');`;
    expect(run(process.execPath, ['--input-type=module', '-e', code], project).trim()).toBe('ok');
  });

  it.each(Object.entries(smoke))('%s works from CommonJS', (name, { check }) => {
    const code = `const m = require('${name}'); if (!(${check})) { throw new Error('smoke check failed'); } console.log('ok');`;
    expect(run(process.execPath, ['--input-type=commonjs', '-e', code], project).trim()).toBe('ok');
  });

  it('ships no test files and no workspace: ranges', () => {
    for (const file of readdirSync(tarballs)) {
      const listing = run('tar', ['-tzf', join(tarballs, file)], tarballs);
      expect(listing).not.toMatch(/\.test\.ts/);
      const manifest = run('tar', ['-xzOf', join(tarballs, file), 'package/package.json'], tarballs);
      expect(manifest).not.toContain('workspace:');
    }
  });
});
