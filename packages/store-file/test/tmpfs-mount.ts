import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirementMet } from '@prompt-cache/test-redis';
import { afterAll } from 'vitest';

/**
 * A fresh tmpfs mounted with `options` (e.g. `size=64k` for a disk that fills up, `ro` for a read-only one),
 * unmounted after the test file. Mounting needs root, which CI has: undefined (a loud skip) elsewhere, and a
 * failed run under CI=true (see requirementMet).
 */
export function mountTmpfs(options: string, tests: string): string | undefined {
  const mountPoint = mkdtempSync(join(tmpdir(), 'prompt-cache-tmpfs-'));
  let failure = '';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (error) {
    failure = String((error as { stderr?: Buffer }).stderr ?? error).trim();
  }
  if (failure) rmSync(mountPoint, { recursive: true, force: true });
  const mounted = requirementMet(!failure, {
    missing: `a tmpfs mount (-o ${options}: ${failure || 'ok'})`,
    tests,
    install: 'run the tests as root, as CI does',
  });
  if (!mounted) return undefined;
  afterAll(() => {
    execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    rmSync(mountPoint, { recursive: true, force: true });
  });
  return mountPoint;
}
