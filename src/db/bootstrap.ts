import type { Config } from '../config.js';
import { openDatabase, type Database } from './client.js';
import { migrate } from './migrate.js';
import { ensureTaxonomies } from '../modules/directory/taxonomies.js';

/** Opens the configured database, brings its schema up to date, and drops to the least-privileged role. */
export async function prepareDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<{ database: Database; applied: string[] }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(database);
    await database.useAppRole();
    await ensureTaxonomies(database.db);
    return { database, applied };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
