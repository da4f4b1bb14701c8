import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * One vitest setup for every workspace package: tests run against TypeScript sources
 * (the `@prompt-cache/source` export condition), never against a stale build.
 * 'module' is filtered out because Node would then load the AWS SDK's browser build.
 */
const isCi = process.env.CI === 'true' || process.env.CI === '1';

export const sharedConfig = defineConfig({
  ssr: {
    resolve: {
      conditions: [
        '@prompt-cache/source',
        ...defaultServerConditions.filter((condition) => condition !== 'module'),
      ],
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    // In CI, files and tests run in a random order, so a test that leans on another one's data fails there.
    // vitest prints the seed; --sequence.seed=N replays an order.
    sequence: { shuffle: { files: isCi, tests: isCi } },
    hookTimeout: 30_000,
    env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
