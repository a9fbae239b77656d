import type { Database } from './client.js';

/**
 * Extensions belong to the whole database, not a schema: they are installed once in public, which
 * every test schema's search path includes, so dropping one test's schema cannot take them away.
 * Parallel test files may race to create them; the loser finds them made.
 */
export async function installSharedExtensions(admin: Database): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.withOwner((run) => run('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public'));
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
