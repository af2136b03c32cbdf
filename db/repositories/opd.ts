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
