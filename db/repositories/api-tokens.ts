import { sql } from 'kysely';
import type { Db } from '../connect';
import type { ApiRole, ApiToken } from '../schema';

export async function insertToken(db: Db, token: { name: string; role: ApiRole; opdUnitId: number | null; tokenHash: string }): Promise<ApiToken> {
  return db
    .insertInto('api_tokens')
    .values({ name: token.name, role: token.role, opd_unit_id: token.opdUnitId, token_hash: token.tokenHash })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findActiveByHash(db: Db, tokenHash: string): Promise<ApiToken | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}

/** At most once a minute per token, so that reads do not turn into a write each. */
export async function touchLastUsed(db: Db, id: number): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}

export async function listTokens(db: Db): Promise<ApiToken[]> {
  return db.selectFrom('api_tokens').selectAll().orderBy('id').execute();
}

/** True when an active token was revoked now. */
export async function revokeToken(db: Db, id: number): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: sql`now()` }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
