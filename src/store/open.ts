/**
 * Picks the store of record from the configuration: PostgreSQL when `DATABASE_URL` is set (the
 * `pg` client is imported only then), else the embedded SQLite file in DATA_DIR.
 */
import type { Config } from '../config.js';
import { openDatabase } from './db.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/**
 * Open (creating and migrating the schema of) the configured store.
 * @throws StoreError / driver errors when the database cannot be reached or opened.
 */
export async function openStore(config: Pick<Config, 'DATA_DIR' | 'DATABASE_URL'>): Promise<Store> {
  if (!config.DATABASE_URL) return openSqliteStore(config.DATA_DIR);
  const { openPostgresStore } = await import('./postgres.js');
  // Embeddings and feedback live in PostgreSQL too; DATA_DIR's SQLite file is opened only if asked for.
  return openPostgresStore(config.DATABASE_URL, () => openDatabase(config.DATA_DIR));
}
