// `pnpm example <name>` runs examples/<name>/index.ts. Without a name it lists the examples.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const examples = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();

const wanted = process.argv[2];
const match = wanted && examples.find((name) => name === wanted || name.replace(/^\d+-/, '') === wanted);
if (!match) {
  if (wanted) console.error(`unknown example "${wanted}"; choose one of: ${examples.join(', ')}`);
  else console.log(`examples:\n${examples.map((name) => `  pnpm example ${name}`).join('\n')}`);
  process.exit(wanted ? 2 : 0);
}
await import(pathToFileURL(join(root, match, 'index.ts')).href);
