import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the table files and committed; they are applied at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/kernel/db/schema.ts',
  out: './drizzle',
});
