// `pnpm pack:all`: packs every public package under packages/ into one folder (dist-packages/ by default),
// one tarball per package named without its version (prompt-cache-core.tgz), so the install lines in the
// READMEs stay the same from one release to the next. Run after `pnpm build` (pack:all builds first).
// Usage: node scripts/pack-all.mjs [destination]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const destination = resolve(process.argv[2] ?? join(root, 'dist-packages'));

/** `@prompt-cache/store-redis` → `prompt-cache-store-redis.tgz`, the name `npm pack` gives without the version. */
function tarballName(packageName) {
  return `${packageName.replace(/^@/, '').replace('/', '-')}.tgz`;
}

mkdirSync(destination, { recursive: true });
for (const file of readdirSync(destination).filter((name) => name.endsWith('.tgz'))) {
  rmSync(join(destination, file));
}

const packed = [];
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const directory = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    cwd: directory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // pnpm prints the tarball's path on its last line.
  const file = basename(output.trim().split('\n').pop());
  renameSync(join(destination, file), join(destination, tarballName(manifest.name)));
  packed.push(manifest.name);
}

// Absolute paths: the lines are pasted into another project.
const tarball = (name) => join(destination, tarballName(name));
console.log(`Packed ${packed.length} packages into ${destination}:`);
for (const name of packed) console.log(`  ${tarballName(name)}  ${name}`);
console.log(`
Install the ones you use, with the @prompt-cache packages they depend on (README: "Install before the first release").
npm:
  npm install ${tarball('@prompt-cache/core')} ${tarball('@prompt-cache/store-redis')}
pnpm: first add these lines to the project's pnpm-workspace.yaml, then
  pnpm add ${tarball('@prompt-cache/core')} ${tarball('@prompt-cache/store-redis')}
overrides:`);
for (const name of packed) console.log(`  "${name}": file:${tarball(name)}`);
// pnpm compares a tarball's path, not its version, with a peer range (bedrock's optional peer on semantic).
console.log('peerDependencyRules:\n  allowAny:\n    - "@prompt-cache/*"');
