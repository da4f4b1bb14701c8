import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// Packing and installing takes a while; it runs once, on built packages.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { testTimeout: 180_000, hookTimeout: 180_000 } }),
);
