import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { migrations } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

// bigint and numeric columns (ids, counts) fit in a JS number here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface DatabaseOptions {
  /** A PostgreSQL URL; without one, an embedded PGlite database lives in `embeddedDir`. */
  url?: string;
  embeddedDir?: string;
  poolSize?: number;
}

export async function createDatabase(options: DatabaseOptions): Promise<Db> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection that the server dropped (a restart, a failover) is replaced by the pool;
    // without a listener its error would end the process.
    pool.on('error', () => {});
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (!options.embeddedDir) throw new Error('Either a database URL or an embedded directory is needed');
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = path.resolve(options.embeddedDir);
  mkdirSync(path.dirname(dir), { recursive: true });
  const pglite = await PGlite.create(dir);
  await pglite.exec(`set timezone = 'UTC'`);
  return new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
