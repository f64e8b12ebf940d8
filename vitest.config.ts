import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'data/**/*.test.ts', 'client/src/**/*.test.{ts,tsx}'],
    globalSetup: ['server/test/global-setup.ts'],
    // One embedded engine serves every test file; starting it costs ~15 s, so files share it.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
