import { prepareTemplateDatabase } from '../src/kernel/db/test-db.js';

export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (url) await prepareTemplateDatabase(url);
}
