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
