import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

interface ReleasePlan {
  releases: Array<{ name: string; type: string; oldVersion: string; newVersion: string }>;
}

// Changesets bumps a package to major when a release leaves the range of one of its peer dependencies, and a
// 0.x minor always leaves a caret range: the first release would have made @prompt-cache/bedrock 1.0.0.
it('the pending changesets never turn a 0.x package into 1.0.0', () => {
  const directory = mkdtempSync(join(tmpdir(), 'release-plan-'));
  try {
    const output = join(directory, 'plan.json');
    execFileSync(join(root, 'node_modules/.bin/changeset'), ['status', `--output=${output}`], {
      cwd: root,
      stdio: 'pipe',
    });
    const plan = JSON.parse(readFileSync(output, 'utf8')) as ReleasePlan;
    const leaps = plan.releases.filter(
      (release) => release.oldVersion.startsWith('0.') && release.type === 'major',
    );
    expect(leaps.map((release) => `${release.name} ${release.oldVersion} -> ${release.newVersion}`)).toEqual(
      [],
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
