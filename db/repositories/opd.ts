import { sql } from 'kysely';
import type { Db } from '../connect';
import type { Category } from '../../domain/report';
import type { OpdUnit, Official } from '../schema';

export async function findUnitForCategory(db: Db, category: Category): Promise<OpdUnit | undefined> {
  return db
    .selectFrom('category_routes')
    .innerJoin('opd_units', 'opd_units.id', 'category_routes.opd_unit_id')
    .selectAll('opd_units')
    .where('category_routes.category', '=', category)
    .executeTakeFirst();
}

export async function findUnitById(db: Db, id: number): Promise<OpdUnit | undefined> {
  return db.selectFrom('opd_units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUnits(db: Db): Promise<OpdUnit[]> {
  return db.selectFrom('opd_units').selectAll().orderBy('code').execute();
}

/**
 * The active officials of a unit at a level (unit null: the regency-wide roles); who holds a role
 * is looked up when a message goes out.
 */
export async function findActiveOfficials(db: Db, opdUnitId: number | null, level: number): Promise<Official[]> {
  return db
    .selectFrom('officials')
    .selectAll()
    .where((eb) => (opdUnitId === null ? eb('opd_unit_id', 'is', null) : eb('opd_unit_id', '=', opdUnitId)))
    .where('level', '=', level)
    .where('active', '=', true)
    .orderBy('id')
    .execute();
}

export async function countOfficials(db: Db): Promise<number> {
  const row = await db.selectFrom('officials').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewOfficial {
  opdUnitId: number | null;
  role: string;
  level: number;
  nameEnc: string;
  phoneEnc: string;
  phoneHash: string;
}

export async function insertOfficial(db: Db, o: NewOfficial): Promise<void> {
  await db
    .insertInto('officials')
    .values({ opd_unit_id: o.opdUnitId, role: o.role, level: o.level, name_enc: o.nameEnc, phone_enc: o.phoneEnc, phone_hash: o.phoneHash })
    .execute();
}

export async function findUnitByCode(db: Db, code: string): Promise<OpdUnit | undefined> {
  return db.selectFrom('opd_units').selectAll().where('code', '=', code.toUpperCase()).executeTakeFirst();
}

export async function findActiveOfficialByPhoneHash(db: Db, phoneHash: string): Promise<Official | undefined> {
  return db.selectFrom('officials').selectAll().where('phone_hash', '=', phoneHash).where('active', '=', true).executeTakeFirst();
}

/** A new WhatsApp number for an official (people change phones; the role stays). */
export async function updateOfficialPhone(db: Db, officialId: number, phoneEnc: string, phoneHash: string): Promise<void> {
  await db.updateTable('officials').set({ phone_enc: phoneEnc, phone_hash: phoneHash, updated_at: new Date() }).where('id', '=', officialId).execute();
}

// ---- Directory administration (admin API) ---------------------------------------------------

/** An official with the code and name of their OPD (null for the regency-wide roles). */
export type OfficialWithUnit = Official & { opd_code: string | null; opd_name: string | null };

export interface OfficialFilter {
  /** A unit's officials; null: the regency-wide ones. */
  opdUnitId?: number | null;
  level?: number;
  active?: boolean;
  /** What an 'opd' token may see: this unit's officials and the regency-wide ones (levels 3–4). */
  visibleToUnitId?: number;
}

export async function listOfficials(db: Db, filter: OfficialFilter = {}): Promise<OfficialWithUnit[]> {
  let query = db
    .selectFrom('officials')
    .leftJoin('opd_units', 'opd_units.id', 'officials.opd_unit_id')
    .selectAll('officials')
    .select(['opd_units.code as opd_code', 'opd_units.name as opd_name']);
  if (filter.opdUnitId !== undefined) {
    const unitId = filter.opdUnitId;
    query = query.where((eb) => (unitId === null ? eb('officials.opd_unit_id', 'is', null) : eb('officials.opd_unit_id', '=', unitId)));
  }
  if (filter.visibleToUnitId !== undefined) {
    const unitId = filter.visibleToUnitId;
    query = query.where((eb) => eb.or([eb('officials.opd_unit_id', '=', unitId), eb('officials.opd_unit_id', 'is', null)]));
  }
  if (filter.level !== undefined) query = query.where('officials.level', '=', filter.level);
  if (filter.active !== undefined) query = query.where('officials.active', '=', filter.active);
  return query.orderBy('opd_units.code', (ob) => ob.asc().nullsLast()).orderBy('officials.level').orderBy('officials.id').execute();
}

export async function findOfficialById(db: Db, id: number): Promise<OfficialWithUnit | undefined> {
  return db
    .selectFrom('officials')
    .leftJoin('opd_units', 'opd_units.id', 'officials.opd_unit_id')
    .selectAll('officials')
    .select(['opd_units.code as opd_code', 'opd_units.name as opd_name'])
    .where('officials.id', '=', id)
    .executeTakeFirst();
}

/** Adds an official and returns the new row's id. */
export async function insertOfficialReturningId(db: Db, o: NewOfficial & { active: boolean }): Promise<number> {
  const row = await db
    .insertInto('officials')
    .values({ opd_unit_id: o.opdUnitId, role: o.role, level: o.level, name_enc: o.nameEnc, phone_enc: o.phoneEnc, phone_hash: o.phoneHash, active: o.active })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface OfficialChanges {
  opdUnitId?: number | null;
  role?: string;
  level?: number;
  nameEnc?: string;
  phoneEnc?: string;
  phoneHash?: string;
  active?: boolean;
}

export async function updateOfficial(db: Db, id: number, c: OfficialChanges): Promise<void> {
  await db
    .updateTable('officials')
    .set({
      ...(c.opdUnitId !== undefined ? { opd_unit_id: c.opdUnitId } : {}),
      ...(c.role !== undefined ? { role: c.role } : {}),
      ...(c.level !== undefined ? { level: c.level } : {}),
      ...(c.nameEnc !== undefined ? { name_enc: c.nameEnc } : {}),
      ...(c.phoneEnc !== undefined ? { phone_enc: c.phoneEnc } : {}),
      ...(c.phoneHash !== undefined ? { phone_hash: c.phoneHash } : {}),
      ...(c.active !== undefined ? { active: c.active } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Serialises writes to officials (readers go on), so two writers cannot both take one number. */
export async function lockOfficialsForWrite(db: Db): Promise<void> {
  await sql`lock table officials in share row exclusive mode`.execute(db);
}

/** Active officials other than `exceptId` with this number. */
export async function countActiveWithPhoneHash(db: Db, phoneHash: string, exceptId?: number): Promise<number> {
  let query = db
    .selectFrom('officials')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('phone_hash', '=', phoneHash)
    .where('active', '=', true);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active officials per unit (null: regency-wide), level and role, for the escalation chains. */
export async function countActiveOfficialsByLevel(db: Db): Promise<Array<{ opd_unit_id: number | null; level: number; role: string; n: number }>> {
  const rows = await db
    .selectFrom('officials')
    .select(['opd_unit_id', 'level', 'role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('active', '=', true)
    .groupBy(['opd_unit_id', 'level', 'role'])
    .orderBy('level')
    .orderBy('role')
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Which unit serves each category. */
export async function listCategoryRoutes(db: Db): Promise<Array<{ category: Category; opd_unit_id: number }>> {
  return db.selectFrom('category_routes').select(['category', 'opd_unit_id']).orderBy('category').execute();
}

/** Makes a unit the one serving these categories (each category has exactly one unit). */
export async function assignCategories(db: Db, opdUnitId: number, categories: readonly Category[]): Promise<void> {
  if (categories.length === 0) return;
  await db
    .insertInto('category_routes')
    .values(categories.map((category) => ({ category, opd_unit_id: opdUnitId })))
    .onConflict((oc) => oc.column('category').doUpdateSet({ opd_unit_id: opdUnitId }))
    .execute();
}

export async function insertUnit(db: Db, unit: { code: string; name: string }): Promise<OpdUnit | undefined> {
  return db
    .insertInto('opd_units')
    .values({ code: unit.code, name: unit.name })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateUnit(db: Db, id: number, changes: { name?: string; active?: boolean }): Promise<void> {
  if (changes.name === undefined && changes.active === undefined) return;
  await db.updateTable('opd_units').set(changes).where('id', '=', id).execute();
}
