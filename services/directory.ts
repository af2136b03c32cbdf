import type { AuthContext } from '../api/http/route';
import type { PiiCrypto } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as holidaysRepo from '../db/repositories/holidays';
import * as opdRepo from '../db/repositories/opd';
import * as policiesRepo from '../db/repositories/policies';
import type { HolidayKind, OpdUnit } from '../db/schema';
import { DEFAULT_POLICY, levelLabel, type LifecyclePolicy } from '../domain/policy';
import type { Category } from '../domain/report';
import { audit } from './audit';

// The directory the complaint lifecycle runs on: officials (who is told and who may act), OPD
// units and the categories they serve, the lifecycle policy and the holiday calendar. Every write
// is audited with what changed, never with personal data; every read of officials' names and
// numbers is audited as a reveal.

export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  constructor(
    readonly kind: 'not_found' | 'invalid' | 'conflict' | 'forbidden',
    message: string,
  ) {
    super(message);
  }
}

/** Runs `fn` in a transaction, or in the caller's when `db` already is one. */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

async function unitByCode(db: Db, code: string): Promise<OpdUnit> {
  const unit = await opdRepo.findUnitByCode(db, code);
  if (!unit) throw new DirectoryError('invalid', `No OPD with code ${code.toUpperCase()}.`);
  return unit;
}

// ---- Officials ------------------------------------------------------------------------------

export interface OfficialView {
  id: number;
  name: string;
  phone: string;
  opdCode: string | null;
  opdName: string | null;
  level: number;
  levelLabel: string;
  role: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface OfficialInput {
  name: string;
  /** E.164, validated by the caller. */
  phone: string;
  /** null: a regency-wide role (levels 3–4). */
  opdCode: string | null;
  level: number;
  role: string;
  active: boolean;
}

function officialView(crypto: PiiCrypto, o: opdRepo.OfficialWithUnit): OfficialView {
  return {
    id: o.id,
    name: crypto.decrypt(o.name_enc),
    phone: crypto.decrypt(o.phone_enc),
    opdCode: o.opd_code,
    opdName: o.opd_name,
    level: o.level,
    levelLabel: levelLabel(o.level),
    role: o.role,
    active: o.active,
    createdAt: o.created_at.toISOString(),
    updatedAt: o.updated_at.toISOString(),
  };
}

/** Levels 1–2 belong to an OPD; levels 3–4 (Sekretaris Daerah, Bupati) to the whole regency. */
function checkLevelScope(level: number, opdUnitId: number | null): void {
  if (level <= 2 && opdUnitId === null) throw new DirectoryError('invalid', `Level ${level} (${levelLabel(level)}) needs an OPD.`);
  if (level >= 3 && opdUnitId !== null) throw new DirectoryError('invalid', `Level ${level} (${levelLabel(level)}) is regency-wide and takes no OPD.`);
}

/**
 * The officials an API caller may see, names and numbers in clear (the route admits only roles
 * that may): an 'opd' token sees its own OPD's and the regency-wide ones. The read is audited.
 */
export async function listOfficials(
  db: Db,
  crypto: PiiCrypto,
  auth: AuthContext,
  filter: { opdCode?: string; level?: number; active?: boolean },
): Promise<OfficialView[]> {
  const unit = filter.opdCode ? await unitByCode(db, filter.opdCode) : undefined;
  let visibleToUnitId: number | undefined;
  if (auth.role === 'opd') {
    if (unit && unit.id !== auth.opdUnitId) throw new DirectoryError('forbidden', 'This token sees only its own OPD’s officials and the regency-wide ones.');
    visibleToUnitId = auth.opdUnitId!;
  }
  const rows = await opdRepo.listOfficials(db, { opdUnitId: unit?.id, level: filter.level, active: filter.active, visibleToUnitId });
  await audit(db, auth, { action: 'official.reveal', resourceType: 'official', details: { count: rows.length } });
  return rows.map((row) => officialView(crypto, row));
}

export async function createOfficial(db: Db, crypto: PiiCrypto, auth: AuthContext, input: OfficialInput): Promise<OfficialView> {
  const unit = input.opdCode === null ? null : await unitByCode(db, input.opdCode);
  checkLevelScope(input.level, unit?.id ?? null);
  if (unit && !unit.active && input.active) throw new DirectoryError('conflict', `The OPD ${unit.code} is deactivated.`);
  const phoneHash = crypto.lookupHash('phone', input.phone);
  const id = await inTransaction(db, async (trx) => {
    await opdRepo.lockOfficialsForWrite(trx);
    if (input.active && (await opdRepo.countActiveWithPhoneHash(trx, phoneHash)) > 0) {
      throw new DirectoryError('conflict', 'This number already belongs to an active official.');
    }
    const newId = await opdRepo.insertOfficialReturningId(trx, {
      opdUnitId: unit?.id ?? null,
      role: input.role,
      level: input.level,
      nameEnc: crypto.encrypt(input.name),
      phoneEnc: crypto.encrypt(input.phone),
      phoneHash,
      active: input.active,
    });
    await audit(trx, auth, { action: 'official.create', resourceType: 'official', resourceId: newId, details: { fields: ['name', 'phone', 'opd', 'level', 'role', 'active'] } });
    return newId;
  });
  return officialView(crypto, (await opdRepo.findOfficialById(db, id))!);
}

/**
 * Changes an official; the rules hold for the result (level and OPD together, one active
 * official per number). Audited with the names of the fields that changed.
 */
export async function updateOfficial(
  db: Db,
  crypto: PiiCrypto,
  auth: AuthContext,
  id: number,
  patch: Partial<OfficialInput>,
  action = 'official.update',
): Promise<OfficialView> {
  await inTransaction(db, async (trx) => {
    await opdRepo.lockOfficialsForWrite(trx);
    const current = await opdRepo.findOfficialById(trx, id);
    if (!current) throw new DirectoryError('not_found', `No official with id ${id}.`);
    const unit = patch.opdCode === undefined ? undefined : patch.opdCode === null ? null : await unitByCode(trx, patch.opdCode);
    const opdUnitId = unit === undefined ? current.opd_unit_id : (unit?.id ?? null);
    const level = patch.level ?? current.level;
    const active = patch.active ?? current.active;
    const phoneHash = patch.phone === undefined ? current.phone_hash : crypto.lookupHash('phone', patch.phone);
    checkLevelScope(level, opdUnitId);

    const changes: opdRepo.OfficialChanges = {};
    const changed: string[] = [];
    if (patch.name !== undefined && patch.name !== crypto.decrypt(current.name_enc)) {
      changes.nameEnc = crypto.encrypt(patch.name);
      changed.push('name');
    }
    if (phoneHash !== current.phone_hash) {
      Object.assign(changes, { phoneEnc: crypto.encrypt(patch.phone!), phoneHash });
      changed.push('phone');
    }
    if (opdUnitId !== current.opd_unit_id) {
      changes.opdUnitId = opdUnitId;
      changed.push('opd');
    }
    if (level !== current.level) {
      changes.level = level;
      changed.push('level');
    }
    if (patch.role !== undefined && patch.role !== current.role) {
      changes.role = patch.role;
      changed.push('role');
    }
    if (active !== current.active) {
      changes.active = active;
      changed.push('active');
    }
    if (changed.length === 0) return;

    if (active && opdUnitId !== null && (changed.includes('opd') || changed.includes('active'))) {
      const target = (await opdRepo.findUnitById(trx, opdUnitId))!;
      if (!target.active) throw new DirectoryError('conflict', `The OPD ${target.code} is deactivated.`);
    }
    if (active && (changed.includes('phone') || changed.includes('active')) && (await opdRepo.countActiveWithPhoneHash(trx, phoneHash, id)) > 0) {
      throw new DirectoryError('conflict', 'This number already belongs to an active official.');
    }
    await opdRepo.updateOfficial(trx, id, changes);
    await audit(trx, auth, { action, resourceType: 'official', resourceId: id, details: { changed } });
  });
  return officialView(crypto, (await opdRepo.findOfficialById(db, id))!);
}

/** Officials are never deleted: complaint timelines refer to them. */
export function deactivateOfficial(db: Db, crypto: PiiCrypto, auth: AuthContext, id: number): Promise<OfficialView> {
  return updateOfficial(db, crypto, auth, id, { active: false }, 'official.deactivate');
}

// ---- OPD units --------------------------------------------------------------------------------

export interface ChainStep {
  level: number;
  label: string;
  /** 'opd' for the unit's own officials (levels 1–2), 'regency' for levels 3–4. */
  scope: 'opd' | 'regency';
  /** The roles of the active officials at this level. */
  roles: string[];
  activeOfficials: number;
}

export interface UnitView {
  code: string;
  name: string;
  active: boolean;
  categories: Category[];
  escalationChain: ChainStep[];
}

/** All units with their categories and escalation chains (up to the policy's highest level). */
export async function listUnits(db: Db): Promise<UnitView[]> {
  const [units, routes, counts, policy] = await Promise.all([
    opdRepo.listUnits(db),
    opdRepo.listCategoryRoutes(db),
    opdRepo.countActiveOfficialsByLevel(db),
    policiesRepo.findActivePolicy(db),
  ]);
  const maxLevel = Number((policy?.data as Partial<LifecyclePolicy> | undefined)?.maxLevel ?? DEFAULT_POLICY.maxLevel);
  const chain = (unitId: number): ChainStep[] =>
    Array.from({ length: maxLevel }, (_, i) => i + 1).map((level) => {
      const scope = level <= 2 ? 'opd' : 'regency';
      const rows = counts.filter((c) => c.level === level && c.opd_unit_id === (scope === 'opd' ? unitId : null));
      return { level, label: levelLabel(level), scope, roles: rows.map((r) => r.role), activeOfficials: rows.reduce((sum, r) => sum + r.n, 0) };
    });
  return units.map((unit) => ({
    code: unit.code,
    name: unit.name,
    active: unit.active,
    categories: routes.filter((r) => r.opd_unit_id === unit.id).map((r) => r.category),
    escalationChain: chain(unit.id),
  }));
}

export async function getUnit(db: Db, code: string): Promise<UnitView> {
  const unit = (await listUnits(db)).find((u) => u.code === code.toUpperCase());
  if (!unit) throw new DirectoryError('not_found', `No OPD with code ${code.toUpperCase()}.`);
  return unit;
}

/** Moves categories to a unit; returns where each came from (for the audit log). */
async function moveCategories(trx: Db, unit: OpdUnit, categories: readonly Category[]): Promise<Record<string, string | null>> {
  const [routes, units] = await Promise.all([opdRepo.listCategoryRoutes(trx), opdRepo.listUnits(trx)]);
  const codeOf = (unitId: number | undefined) => units.find((u) => u.id === unitId)?.code ?? null;
  const moved: Record<string, string | null> = {};
  for (const category of categories) {
    const from = routes.find((r) => r.category === category)?.opd_unit_id;
    if (from !== unit.id) moved[category] = codeOf(from);
  }
  await opdRepo.assignCategories(trx, unit.id, Object.keys(moved) as Category[]);
  return moved;
}

/** A new unit; categories given move to it from the unit serving them now. */
export async function createUnit(db: Db, auth: AuthContext, input: { code: string; name: string; categories: readonly Category[] }): Promise<UnitView> {
  await inTransaction(db, async (trx) => {
    const unit = await opdRepo.insertUnit(trx, { code: input.code, name: input.name });
    if (!unit) throw new DirectoryError('conflict', `An OPD with code ${input.code} already exists.`);
    const movedFrom = await moveCategories(trx, unit, input.categories);
    await audit(trx, auth, { action: 'unit.create', resourceType: 'opd_unit', resourceId: unit.code, details: { categories: [...input.categories], movedFrom } });
  });
  return getUnit(db, input.code);
}

/**
 * Changes a unit. `categories` is the full list it should serve: new ones move to it from their
 * current unit; one it serves now cannot be left out (every category needs an OPD: assign it to
 * another unit instead). A unit that serves a category cannot be deactivated.
 */
export async function updateUnit(
  db: Db,
  auth: AuthContext,
  code: string,
  patch: { name?: string; categories?: readonly Category[]; active?: boolean },
  action = 'unit.update',
): Promise<UnitView> {
  await inTransaction(db, async (trx) => {
    const unit = await opdRepo.findUnitByCode(trx, code);
    if (!unit) throw new DirectoryError('not_found', `No OPD with code ${code.toUpperCase()}.`);
    const served = (await opdRepo.listCategoryRoutes(trx)).filter((r) => r.opd_unit_id === unit.id).map((r) => r.category);
    const categories = patch.categories ?? served;
    const dropped = served.filter((c) => !categories.includes(c));
    if (dropped.length > 0) {
      throw new DirectoryError('conflict', `Every category needs an OPD: assign ${dropped.join(', ')} to another OPD instead of removing it here.`);
    }
    const active = patch.active ?? unit.active;
    if (!active && categories.length > 0) {
      throw new DirectoryError('conflict', `The OPD ${unit.code} still serves ${categories.join(', ')}; assign them to another OPD first.`);
    }
    const changed: string[] = [];
    if (patch.name !== undefined && patch.name !== unit.name) changed.push('name');
    if (active !== unit.active) changed.push('active');
    const movedFrom = await moveCategories(trx, unit, categories);
    if (Object.keys(movedFrom).length > 0) changed.push('categories');
    if (changed.length === 0) return;
    await opdRepo.updateUnit(trx, unit.id, {
      ...(changed.includes('name') ? { name: patch.name } : {}),
      ...(changed.includes('active') ? { active } : {}),
    });
    await audit(trx, auth, { action, resourceType: 'opd_unit', resourceId: unit.code, details: { changed, ...(changed.includes('categories') ? { movedFrom } : {}) } });
  });
  return getUnit(db, code);
}

/** Units are never deleted: complaints and tokens refer to them. */
export function deactivateUnit(db: Db, auth: AuthContext, code: string): Promise<UnitView> {
  return updateUnit(db, auth, code, { active: false }, 'unit.deactivate');
}

// ---- Lifecycle policy -------------------------------------------------------------------------

export type PolicyValues = Omit<LifecyclePolicy, 'version'>;

export interface PolicyVersionView {
  version: number;
  active: boolean;
  createdAt: string;
  policy: PolicyValues;
}

const policyView = (row: policiesRepo.PolicyVersionRow): PolicyVersionView => ({
  version: row.version,
  active: row.active,
  createdAt: row.created_at.toISOString(),
  policy: row.data as unknown as PolicyValues,
});

/** The version in force (as the workflow reads it when accepting) and the list of versions. */
export async function policyOverview(db: Db): Promise<{ active: PolicyVersionView | null; versions: Array<Omit<PolicyVersionView, 'policy'>> }> {
  const [rows, inForce] = await Promise.all([policiesRepo.listPolicies(db), policiesRepo.findActivePolicy(db)]);
  const active = rows.find((r) => r.version === inForce?.version);
  return {
    active: active ? policyView(active) : null,
    versions: rows.map(({ version, active: isActive, created_at }) => ({ version, active: isActive, createdAt: created_at.toISOString() })),
  };
}

export async function getPolicyVersion(db: Db, version: number): Promise<PolicyVersionView> {
  const row = await policiesRepo.findPolicy(db, version);
  if (!row) throw new DirectoryError('not_found', `No policy version ${version}.`);
  return policyView(row);
}

/**
 * Stores a new version (validated by the caller). Activated, it becomes the only active version
 * in the same transaction; complaints accepted from then on run under it, running ones keep theirs.
 */
export async function createPolicyVersion(db: Db, auth: AuthContext, values: PolicyValues, options: { activate: boolean }): Promise<PolicyVersionView> {
  const version = await inTransaction(db, async (trx) => {
    const created = await policiesRepo.insertInactivePolicy(trx, values);
    if (options.activate) await policiesRepo.activateOnly(trx, created);
    await audit(trx, auth, { action: 'policy.create', resourceType: 'policy', resourceId: created, details: { activated: options.activate } });
    return created;
  });
  return getPolicyVersion(db, version);
}

/** Puts a stored version in force (e.g. back to an earlier one), as the only active version. */
export async function activatePolicyVersion(db: Db, auth: AuthContext, version: number): Promise<PolicyVersionView> {
  await inTransaction(db, async (trx) => {
    if (!(await policiesRepo.findPolicy(trx, version))) throw new DirectoryError('not_found', `No policy version ${version}.`);
    const previous = await policiesRepo.findActivePolicy(trx);
    await policiesRepo.activateOnly(trx, version);
    await audit(trx, auth, { action: 'policy.activate', resourceType: 'policy', resourceId: version, details: { previous: previous?.version ?? null } });
  });
  return getPolicyVersion(db, version);
}

// ---- Holidays ---------------------------------------------------------------------------------

export function listHolidays(db: Db, filter: { year?: number; active?: boolean }): Promise<holidaysRepo.Holiday[]> {
  return holidaysRepo.listHolidays(db, filter);
}

export async function createHoliday(db: Db, auth: AuthContext, entry: holidaysRepo.HolidayEntry): Promise<holidaysRepo.Holiday> {
  await inTransaction(db, async (trx) => {
    if (!(await holidaysRepo.insertHoliday(trx, entry))) {
      throw new DirectoryError('conflict', `${entry.date} is already in the calendar; change it with PATCH /holidays/${entry.date}.`);
    }
    await audit(trx, auth, { action: 'holiday.create', resourceType: 'holiday', resourceId: entry.date, details: { kind: entry.kind } });
  });
  return (await holidaysRepo.findHoliday(db, entry.date))!;
}

export async function updateHoliday(
  db: Db,
  auth: AuthContext,
  date: string,
  patch: { name?: string; kind?: HolidayKind; active?: boolean },
  action = 'holiday.update',
): Promise<holidaysRepo.Holiday> {
  await inTransaction(db, async (trx) => {
    const current = await holidaysRepo.findHoliday(trx, date);
    if (!current) throw new DirectoryError('not_found', `No holiday on ${date}.`);
    const changes = Object.fromEntries(
      Object.entries(patch).filter(([key, value]) => value !== undefined && value !== current[key as keyof typeof current]),
    ) as typeof patch;
    const changed = Object.keys(changes);
    if (changed.length === 0) return;
    await holidaysRepo.updateHoliday(trx, date, changes);
    await audit(trx, auth, { action, resourceType: 'holiday', resourceId: date, details: { changed } });
  });
  return (await holidaysRepo.findHoliday(db, date))!;
}

/** Kept for the record; deadlines already computed keep their dates. */
export function deactivateHoliday(db: Db, auth: AuthContext, date: string): Promise<holidaysRepo.Holiday> {
  return updateHoliday(db, auth, date, { active: false }, 'holiday.deactivate');
}
