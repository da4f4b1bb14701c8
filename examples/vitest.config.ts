import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { include: ['*.test.ts', '*/exercise.test.ts'], testTimeout: 60_000 } }),
);
