import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// The course's commands run examples, demos and exercise checks as child processes: minutes, not seconds.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { testTimeout: 180_000, hookTimeout: 120_000 } }),
);
