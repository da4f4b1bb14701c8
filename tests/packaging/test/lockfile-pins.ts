import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// A user's project has no lockfile of ours, so a package manager would resolve every range again, and the
// answer changes whenever the registry publishes a patch. The test therefore pins every third-party package
// that our packages pull in to the exact version our pnpm-lock.yaml resolved: the same install on any day,
// with any store or cache. These pins are the test's only addition to what the README tells users to do.

interface LockfileSnapshot {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface LockfileImporter {
  dependencies?: Record<string, { version: string }>;
  optionalDependencies?: Record<string, { version: string }>;
  devDependencies?: Record<string, { version: string }>;
}

interface Lockfile {
  importers: Record<string, LockfileImporter>;
  snapshots: Record<string, LockfileSnapshot>;
}

export interface LockfilePins {
  /** The version the lockfile gives a package a user installs directly, e.g. the AWS SDK client. */
  versionOf(name: string): string;
  /** pnpm `overrides`: `name` → version, and `parent@version>name` → version where a name has several versions. */
  pnpm: Record<string, string>;
  /** npm `overrides`: the same pins, nested under the parent where a name has several versions. */
  npm: Record<string, string | Record<string, string>>;
  /** Every `name@version` the lockfile resolved for these packages. */
  resolved: Set<string>;
}

/** `@aws-sdk/core@3.1.0(peer@1.0.0)` → `['@aws-sdk/core', '3.1.0']`: name and version, without peer suffixes. */
function splitSnapshotKey(key: string): [string, string] {
  const at = key.indexOf('@', 1);
  return [key.slice(0, at), key.slice(at + 1).replace(/\(.*$/, '')];
}

/** The project's graph in `directory`/pnpm-lock.yaml (pnpm 12 may write its own entry as a first document). */
export function readPnpmLockfile<Shape = Lockfile>(directory: string): Shape {
  const documents = parseAllDocuments(readFileSync(join(directory, 'pnpm-lock.yaml'), 'utf8'));
  return documents[documents.length - 1]!.toJS() as Shape;
}

/**
 * Pins for everything reachable from the production dependencies of `importers` (e.g. `packages/bedrock`)
 * plus the `direct` packages a user adds (e.g. the AWS SDK client, a dev dependency of ours).
 */
export function lockfilePins(root: string, importers: string[], direct: string[]): LockfilePins {
  const lockfile = readPnpmLockfile(root);
  const directVersions = new Map<string, string>();
  const pending: string[] = [];
  for (const importer of importers) {
    const {
      dependencies = {},
      optionalDependencies = {},
      devDependencies = {},
    } = lockfile.importers[importer] ?? {};
    for (const [name, { version }] of Object.entries({ ...dependencies, ...optionalDependencies })) {
      if (!version.startsWith('link:')) pending.push(`${name}@${version}`);
    }
    for (const name of direct) {
      const version = devDependencies[name]?.version ?? dependencies[name]?.version;
      if (version && !directVersions.has(name)) {
        directVersions.set(name, version.replace(/\(.*$/, ''));
        pending.push(`${name}@${version}`);
      }
    }
  }

  const reached = new Map<string, LockfileSnapshot>();
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (reached.has(key)) continue;
    const snapshot = lockfile.snapshots[key];
    if (!snapshot) throw new Error(`pnpm-lock.yaml has no snapshot ${key}`);
    reached.set(key, snapshot);
    const children = { ...snapshot.dependencies, ...snapshot.optionalDependencies };
    for (const [name, version] of Object.entries(children)) pending.push(`${name}@${version}`);
  }

  const versionsByName = new Map<string, Set<string>>();
  for (const key of reached.keys()) {
    const [name, version] = splitSnapshotKey(key);
    versionsByName.set(name, (versionsByName.get(name) ?? new Set()).add(version));
  }

  const pnpm: Record<string, string> = {};
  const npm: Record<string, string | Record<string, string>> = {};
  for (const [name, versions] of versionsByName) {
    if (versions.size === 1 && !directVersions.has(name)) {
      const [version] = versions;
      pnpm[name] = version!;
      npm[name] ??= version!;
    }
  }
  // A name with several versions is pinned under each parent that depends on it.
  for (const [key, snapshot] of reached) {
    const [parent, parentVersion] = splitSnapshotKey(key);
    const children = { ...snapshot.dependencies, ...snapshot.optionalDependencies };
    for (const [name, child] of Object.entries(children)) {
      if ((versionsByName.get(name)?.size ?? 0) < 2) continue;
      const version = child.replace(/\(.*$/, '');
      pnpm[`${parent}@${parentVersion}>${name}`] = version;
      const nested = typeof npm[parent] === 'object' ? npm[parent] : { '.': parentVersion };
      npm[parent] = { ...nested, [name]: version };
    }
  }

  return {
    versionOf(name) {
      const version = directVersions.get(name);
      if (!version) throw new Error(`pnpm-lock.yaml pins no version of ${name} for ${importers.join(', ')}`);
      return version;
    },
    pnpm,
    npm,
    resolved: new Set([...reached.keys()].map((key) => splitSnapshotKey(key).join('@'))),
  };
}
