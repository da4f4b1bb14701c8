import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench package's own directory (bench/). */
export const BENCH_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The libraries measured against prompt-cache, as bench/package.json pins them. */
export const PEER_PACKAGES = [
  'keyv',
  '@keyv/redis',
  'cache-manager',
  '@langchain/core',
  '@langchain/community',
  '@langchain/aws',
  'ai',
  'ioredis',
  'autocannon',
  'tinybench',
] as const;

/** The installed version of a package that bench/ depends on, or `undefined` when it is not installed. */
export function installedVersion(name: string): string | undefined {
  try {
    const manifest = JSON.parse(
      readFileSync(join(BENCH_DIRECTORY, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version?: string };
    return manifest.version;
  } catch {
    return undefined;
  }
}

/** `7.0.15` for the redis-server on PATH, or `undefined` when there is none. */
export function redisServerVersion(): string | undefined {
  try {
    const text = execFileSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 5_000 });
    return /v=(\S+)/.exec(text)?.[1] ?? text.trim();
  } catch {
    return undefined;
  }
}

/** Every version a reader needs to repeat a run: peers, tinybench, redis-server. */
export function describeVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of PEER_PACKAGES) versions[name] = installedVersion(name) ?? 'not installed';
  versions['redis-server'] = redisServerVersion() ?? 'not installed';
  return versions;
}
