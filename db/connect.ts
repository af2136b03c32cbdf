import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
  const releaseLock = lockEmbeddedDatabase(dir);
  try {
    const pglite = await PGlite.create(dir);
    await pglite.exec(`set timezone = 'UTC'`);
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    const destroy = db.destroy.bind(db);
    db.destroy = async () => {
      await destroy();
      releaseLock();
    };
    return db;
  } catch (err) {
    releaseLock();
    throw err;
  }
}

export class EmbeddedDatabaseInUseError extends Error {
  override readonly name = 'EmbeddedDatabaseInUseError';
}

/**
 * PGlite takes no lock of its own, and two processes writing one directory corrupt it (say the
 * token CLI while `npm start` runs). A '<dir>.lock' file with the holder's pid keeps a second
 * process out; one left by a process that died is taken over.
 */
function lockEmbeddedDatabase(dir: string): () => void {
  const lockFile = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lockFile, { force: true });
      process.once('exit', release);
      return () => {
        process.removeListener('exit', release);
        release();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) throw new EmbeddedDatabaseInUseError(`in use by process ${holder}`);
      rmSync(lockFile, { force: true });
    }
  }
  throw new EmbeddedDatabaseInUseError('its lock file could not be taken');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
