import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each package's main entry holds what a user needs, and each name it exports is documented where it is declared.
// The rest stays internal, or goes to a subpath (`@prompt-cache/core/store-kit`, `@prompt-cache/bedrock/cache-points`).
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const budgets = { core: 30, bedrock: 25 };

interface ExportedName {
  name: string;
  /** The module it is re-exported from, relative to the entry. */
  from: string;
}

/** The names an entry re-exports (`export { a, type B } from './x.js'`; entries hold nothing else). */
function exportedNames(entry: string): ExportedName[] {
  const source = readFileSync(entry, 'utf8');
  const names: ExportedName[] = [];
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
    for (const item of match[1]!.split(',')) {
      const name = item.replace(/\btype\s+/, '').trim();
      if (name) names.push({ name, from: match[2]! });
    }
  }
  return names;
}

/** True when the declaration of `name` in `file` has a JSDoc comment right above it. */
function documented(file: string, name: string): boolean {
  const source = readFileSync(file, 'utf8');
  const declaration = new RegExp(
    `\\*/\\s*export\\s+(?:declare\\s+)?(?:abstract\\s+)?(?:async\\s+)?(?:function\\*?|class|interface|type|const|let)\\s+${name}\\b`,
  );
  return declaration.test(source);
}

describe.each(Object.entries(budgets))('@prompt-cache/%s main entry', (name, budget) => {
  const entry = join(root, 'packages', name, 'src', 'index.ts');
  const names = exportedNames(entry);

  it(`exports at most ${budget} names`, () => {
    expect(names.length, names.map((exported) => exported.name).join(', ')).toBeGreaterThan(0);
    expect(names.length).toBeLessThanOrEqual(budget);
  });

  it('documents every name it exports with JSDoc', () => {
    const undocumented = names
      .filter(({ name: exported, from }) => {
        const file = join(dirname(entry), from.replace(/\.js$/, '.ts'));
        return !documented(file, exported);
      })
      .map(({ name: exported, from }) => `${exported} (${from})`);
    expect(undocumented).toEqual([]);
  });
});
