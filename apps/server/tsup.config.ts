import { defineConfig } from 'tsup';

// ESM only: the gateway is an app. The dashboard's static files stay in public/ beside dist/.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
