import { defineConfig } from 'vitest/config';

// vitest 3 (not 4/5): this project supports Node 20, and vitest >= 4 needs newer Node.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['verbose'],
  },
});
