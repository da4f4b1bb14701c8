import { defineConfig, type Options } from 'tsup';

/**
 * The one build of every workspace package: ESM and CommonJS with `.d.ts` and source maps, for Node 20.
 * A package's tsup.config.ts passes only what differs (more entries, ESM only, externals).
 */
export function packageBuild(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...options,
  });
}
