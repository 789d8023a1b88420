import { defineConfig } from 'vitest/config';

// Unit and integration tests: PGlite in memory per file by default; a throwaway PostgreSQL
// database per file (cloned from a migrated template) when DATABASE_URL is set.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
