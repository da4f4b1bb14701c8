// `pnpm exercise <module>` runs that module's check against your exercise.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(root)
  .filter((name) => existsSync(join(root, name, 'exercise.test.ts')))
  .sort();
const wanted = process.argv[2];
const match = modules.find(
  (name) => name === wanted || name.startsWith(`${wanted}-`) || name.replace(/^\d+-/, '') === wanted,
);
if (!match) {
  console.error(`${wanted ? `unknown exercise "${wanted}"; ` : ''}choose one of: ${modules.join(', ')}`);
  process.exit(2);
}
const result = spawnSync('npx', ['vitest', 'run', `${match}/exercise.test.ts`], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PROMPT_CACHE_CHECK_SOLUTIONS: '' },
});
process.exit(result.status ?? 1);
