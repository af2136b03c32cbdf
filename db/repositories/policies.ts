import { sql } from 'kysely';
import type { Db } from '../connect';

// The stored document is validated by its reader (domain/policy.ts): the table only keeps versions.

export interface StoredPolicy {
  version: number;
  data: Record<string, unknown>;
}

/** The latest active version of the lifecycle policy. */
export async function findActivePolicy(db: Db): Promise<StoredPolicy | undefined> {
  return db.selectFrom('policies').select(['version', 'data']).where('active', '=', true).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** Adds a new version, which applies to complaints that start from now on; returns its number. */
export async function insertPolicy(db: Db, data: object): Promise<number> {
  const row = await db.insertInto('policies').values({ data: JSON.stringify(data) }).returning('version').executeTakeFirstOrThrow();
  return row.version;
}

export interface PolicyVersionRow {
  version: number;
  data: Record<string, unknown>;
  active: boolean;
  created_at: Date;
}

/** Every version, newest first. */
export async function listPolicies(db: Db): Promise<PolicyVersionRow[]> {
  return db.selectFrom('policies').select(['version', 'data', 'active', 'created_at']).orderBy('version', 'desc').execute();
}

export async function findPolicy(db: Db, version: number): Promise<PolicyVersionRow | undefined> {
  return db.selectFrom('policies').select(['version', 'data', 'active', 'created_at']).where('version', '=', version).executeTakeFirst();
}

/** Adds a version that is not (yet) in force; returns its number. */
export async function insertInactivePolicy(db: Db, data: object): Promise<number> {
  const row = await db.insertInto('policies').values({ data: JSON.stringify(data), active: false }).returning('version').executeTakeFirstOrThrow();
  return row.version;
}

/** Makes one version the only active one; call it inside a transaction. */
export async function activateOnly(db: Db, version: number): Promise<void> {
  await sql`lock table policies in share row exclusive mode`.execute(db);
  await db.updateTable('policies').set({ active: false }).where('active', '=', true).where('version', '!=', version).execute();
  await db.updateTable('policies').set({ active: true }).where('version', '=', version).execute();
}
