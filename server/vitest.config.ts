import { defineConfig } from 'vitest/config';

// Unit and integration tests: PGlite in memory per file by default; a throwaway PostgreSQL
// database per file (cloned from a migrated template) when DATABASE_URL is set.
// `*.slow.test.ts` files (e.g. the 2,000-row import: ~160 CPU-seconds of argon2) run after all the
// others, alone, so that they cannot starve the timing-sensitive tests running in parallel.
const shared = { pool: 'forks', testTimeout: 60_000, hookTimeout: 120_000 } as const;

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    reporters: ['default'],
    projects: [
      { test: { ...shared, name: 'server', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['**/*.slow.test.ts', '**/node_modules/**'] } },
      { test: { ...shared, name: 'slow', include: ['test/**/*.slow.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
