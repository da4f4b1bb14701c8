import { defineConfig } from 'tsup';

// One ESM file with the shebang kept (tsup marks it executable). Dependencies stay external: the
// workspace packages resolve to their built dist/ through their exports.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
});
