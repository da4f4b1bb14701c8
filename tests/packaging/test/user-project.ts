import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LockfilePins, readPnpmLockfile } from './lockfile-pins.ts';

export type PackageManager = 'npm' | 'pnpm';

export interface UserProjectOptions {
  manager: PackageManager;
  /** The folder `pnpm pack:all` wrote. */
  tarballs: string;
  /** Every public @prompt-cache package in that folder. */
  published: string[];
  /** The @prompt-cache packages the user installs, with the ones they depend on for npm. */
  packages: string[];
  /** Registry packages the user installs beside them, at the lockfile's version. */
  registry: string[];
  pins: LockfilePins;
  /** npm's cache for this test run, so npm starts empty as pnpm does in CI. */
  npmCache: string;
}

export interface UserProject {
  directory: string;
  /** stdout and stderr of the install, to look for peer warnings. */
  installOutput: string;
  /** The lockfile's versions it was installed with. */
  pins: LockfilePins;
  run(file: string, code: string, env?: Record<string, string>): string;
  /** `name@version` of every registry package the install put in node_modules, from the lockfile it wrote. */
  installedFromRegistry(): string[];
}

/** `@prompt-cache/store-redis` → `prompt-cache-store-redis.tgz`, as `pnpm pack:all` names it. */
export function tarballName(packageName: string): string {
  return `${packageName.replace(/^@/, '').replace('/', '-')}.tgz`;
}

function yamlMap(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([name, value]) => `  ${JSON.stringify(name)}: ${JSON.stringify(value)}`)
    .join('\n');
}

/**
 * An empty project that installs our tarballs with the README's commands ("Install before the first
 * release"): npm installs the listed tarballs; pnpm gets the documented `overrides` that map every
 * @prompt-cache package to its tarball, then `pnpm add`s the tarballs. Both also get the lockfile's pins.
 */
export function installUserProject(options: UserProjectOptions): UserProject {
  const { manager, tarballs, pins } = options;
  const directory = mkdtempSync(join(tmpdir(), `prompt-cache-user-${manager}-`));
  const tarballPaths = options.packages.map((name) => join(tarballs, tarballName(name)));
  const registry = options.registry.map((name) => `${name}@${pins.versionOf(name)}`);
  const manifest: Record<string, unknown> = { name: 'a-user-project', private: true, type: 'module' };
  let args: string[];
  if (manager === 'npm') {
    manifest.overrides = pins.npm;
    args = ['install', '--save-exact', '--no-audit', '--no-fund', ...tarballPaths, ...registry];
  } else {
    const documented = Object.fromEntries(
      options.published.map((name) => [name, `file:${join(tarballs, tarballName(name))}`]),
    );
    writeFileSync(
      join(directory, 'pnpm-workspace.yaml'),
      `overrides:\n  # The README's lines: each @prompt-cache package comes from its tarball.\n${yamlMap(documented)}\n` +
        `  # The test's pins: the versions of pnpm-lock.yaml.\n${yamlMap(pins.pnpm)}\n` +
        // The README's lines: pnpm compares a tarball's path, not its version, with a peer range.
        'peerDependencyRules:\n  allowAny:\n    - "@prompt-cache/*"\n',
    );
    args = ['add', ...tarballPaths, ...registry];
  }
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const env = { ...process.env, npm_config_cache: options.npmCache, npm_config_update_notifier: 'false' };
  const install = spawnSync(manager, args, { cwd: directory, encoding: 'utf8', env });
  const installOutput = `${install.stdout}${install.stderr}`;
  if (install.status !== 0) throw new Error(`${manager} ${args.join(' ')} failed:\n${installOutput}`);
  return {
    directory,
    installOutput,
    pins,
    installedFromRegistry: () => installedFromRegistry(manager, directory),
    run(file, code, extraEnv = {}) {
      writeFileSync(join(directory, file), code);
      return execFileSync(process.execPath, [file], {
        cwd: directory,
        encoding: 'utf8',
        env: { ...process.env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
  };
}

function installedFromRegistry(manager: PackageManager, directory: string): string[] {
  if (manager === 'npm') {
    const lock = JSON.parse(readFileSync(join(directory, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; resolved?: string }>;
    };
    return Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.resolved?.startsWith('file:'))
      .map(
        ([path, entry]) =>
          `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`,
      );
  }
  const lock = readPnpmLockfile<{ packages?: Record<string, { resolution: object }> }>(directory);
  return Object.entries(lock.packages ?? {})
    .filter(([, entry]) => !('tarball' in entry.resolution))
    .map(([key]) => key);
}
