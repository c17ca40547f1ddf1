import { defineConfig } from 'vitest/config';

// Infrastructure checks: compose/Dockerfile policy, shellcheck, and the native stack, ACME and
// backup drills. The drills bind fixed loopback ports, so files run one at a time.
export default defineConfig({
  test: {
    name: 'scripts',
    include: ['tests/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
