import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); slower tests that start real servers live in test/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'templates/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
