import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../../api/http/route';
import * as holidaysRepo from '../../db/repositories/holidays';
import * as opdRepo from '../../db/repositories/opd';
import * as policiesRepo from '../../db/repositories/policies';
import { authenticateToken } from '../../services/api-tokens';
import { activatePolicyVersion, createPolicyVersion, type PolicyValues } from '../../services/directory';
import { callApi, issueToken } from '../support/api';
import { startTestStack, type TestStack } from '../support/runtime';

// Officials, OPD units, the lifecycle policy, the holiday calendar and the audit log through the
// admin API, against the real service on PostgreSQL and the Temporal dev server.
//
// The database is shared with every other test file running at the same time, so this file makes
// its own OPDs (codes with a random suffix), officials (random +6289… numbers) and holidays (in a
// random year after 2100), keeps OPDs and officials balanced (two officials per new OPD, as the
// seed has), leaves the regency-wide level inactive, gives back any category it moves at once,
// and never changes the policy in force.

let stack: TestStack;
let admin: string;
let adminId: number;
let operator: string;
let viewer: string;
let opdToken: string;

const SUFFIX = randomBytes(3).toString('hex').toUpperCase();
const UNIT_A = `UA${SUFFIX}`;
const UNIT_B = `UB${SUFFIX}`;
const YEAR = randomInt(2100, 2200);
const newNumber = () => `+6289${String(randomInt(0, 1e9)).padStart(9, '0')}`;

interface Official {
  id: number;
  name: string;
  phone: string;
  opdCode: string | null;
  level: number;
  role: string;
  active: boolean;
}
const people = {
  a1: { name: `Rina Petugas ${SUFFIX}`, phone: newNumber() },
  a2: { name: `Bambang Kepala ${SUFFIX}`, phone: newNumber() },
  b1: { name: `Dewi Petugas ${SUFFIX}`, phone: newNumber() },
  r: { name: `Hartono Sekda ${SUFFIX}`, phone: newNumber() },
};
let a1: Official;
let a2: Official;
let b1: Official;
let regencyWide: Official;

const api = (token: string | undefined, path: string, init: { method?: string; body?: unknown } = {}) => callApi(stack, token, `/api/v1${path}`, init);

async function auditFor(resourceType: string, resourceId: string | number): Promise<Array<{ action: string; details: Record<string, unknown>; tokenId: number; actor: string }>> {
  const answer = await api(admin, `/audit?resourceType=${resourceType}&resourceId=${resourceId}&limit=100`);
  expect(answer.status).toBe(200);
  return answer.body.items;
}

/** Nothing an official is known by: names, numbers (also without the +). */
function expectNoPersonalData(value: unknown) {
  const text = JSON.stringify(value);
  for (const person of Object.values(people)) {
    expect(text).not.toContain(person.name);
    expect(text).not.toContain(person.phone.slice(1));
  }
}

beforeAll(async () => {
  stack = await startTestStack();
  [admin, operator, viewer] = await Promise.all([issueToken(stack, 'admin'), issueToken(stack, 'operator'), issueToken(stack, 'viewer')]);
  adminId = (await authenticateToken(stack.runtime.db, admin))!.id;

  // Two OPDs with two officials each (one of them the regency-wide level, inactive), created
  // back to back so that the count of officials stays at twice the count of OPDs plus two.
  const created = async (path: string, body: object) => {
    const answer = await api(admin, path, { body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  };
  await created('/units', { code: UNIT_A, name: 'Unit Uji A' });
  a1 = await created('/officials', { ...people.a1, opd: UNIT_A, level: 1, role: 'petugas_pengaduan' });
  a2 = await created('/officials', { ...people.a2, opd: UNIT_A, level: 2, role: 'kepala_opd' });
  await created('/units', { code: UNIT_B.toLowerCase(), name: 'Unit Uji B' });
  b1 = await created('/officials', { ...people.b1, opd: UNIT_B, level: 1, role: 'petugas_pengaduan' });
  regencyWide = await created('/officials', { ...people.r, opd: null, level: 3, role: 'sekretaris_daerah', active: false });
  opdToken = await issueToken(stack, 'opd', UNIT_A);
});

afterAll(async () => {
  await stack?.stop();
});

describe('officials', () => {
  it('registers officials with their name and number encrypted, audited without them', async () => {
    expect(a1).toMatchObject({ ...people.a1, opdCode: UNIT_A, level: 1, role: 'petugas_pengaduan', active: true });
    expect(regencyWide).toMatchObject({ opdCode: null, level: 3, active: false });
    const { db, crypto } = stack.runtime;
    const row = (await db.selectFrom('officials').selectAll().where('id', '=', a1.id).executeTakeFirst())!;
    expect(row.name_enc).not.toContain(people.a1.name);
    expect(row.phone_enc).not.toContain(people.a1.phone.slice(3));
    expect(crypto.decrypt(row.name_enc)).toBe(people.a1.name);
    expect(crypto.decrypt(row.phone_enc)).toBe(people.a1.phone);
    expect(row.phone_hash).toBe(crypto.lookupHash('phone', people.a1.phone));

    const entries = await auditFor('official', a1.id);
    expect(entries).toEqual([expect.objectContaining({ action: 'official.create', tokenId: adminId, actor: `token:${adminId}` })]);
    expectNoPersonalData(entries);
  });

  it('lists them in clear for admin, operator and their own OPD, and audits each read; viewers may not', async () => {
    const list = await api(admin, `/officials?opd=${UNIT_A.toLowerCase()}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: Official) => o.id).sort()).toEqual([a1.id, a2.id].sort());
    expect(list.body.items.find((o: Official) => o.id === a2.id)).toMatchObject({ ...people.a2, levelLabel: 'Kepala OPD' });

    const reveals = (await api(admin, `/audit?action=official.reveal&token=${adminId}`)).body.items;
    expect(reveals[0]).toMatchObject({ action: 'official.reveal', resourceType: 'official', details: { count: 2 } });
    expectNoPersonalData(reveals);

    const regency = await api(operator, '/officials?level=3&active=false');
    expect(regency.status).toBe(200);
    expect(regency.body.items.some((o: Official) => o.id === regencyWide.id)).toBe(true);
    expect(regency.body.items.every((o: Official) => o.level === 3 && !o.active)).toBe(true);

    // An opd token: its own OPD's officials and the regency-wide ones, nobody else's.
    const own = await api(opdToken, '/officials');
    expect(own.status).toBe(200);
    expect(own.body.items.every((o: Official) => o.opdCode === UNIT_A || (o.opdCode === null && o.level >= 3))).toBe(true);
    expect(own.body.items.map((o: Official) => o.id)).toEqual(expect.arrayContaining([a1.id, a2.id, regencyWide.id]));
    expect(own.body.items.some((o: Official) => o.id === b1.id)).toBe(false);
    expect((await api(opdToken, `/officials?opd=${UNIT_B}`)).status).toBe(403);

    expect((await api(viewer, '/officials')).status).toBe(403);
    expect((await api(undefined, '/officials')).status).toBe(401);
    expect((await api(admin, '/officials?level=5')).status).toBe(400);
    expect((await api(admin, '/officials?opd=NOSUCH1')).status).toBe(400);
  });

  it('refuses bad registrations with 400, a number already in use with 409, and non-admins with 403', async () => {
    const base = { name: 'Petugas Baru', phone: newNumber(), opd: UNIT_A, level: 1, role: 'petugas_pengaduan' };
    const invalid = [
      { ...base, phone: '081234567890' },
      { ...base, phone: '+14155550123' },
      { ...base, phone: '+62899' },
      { ...base, level: 5 },
      { ...base, level: 1, opd: null },
      { ...base, level: 3 },
      { ...base, role: 'Kepala OPD!' },
      { ...base, name: ' ' },
      { ...base, opd: 'NOSUCH1' },
      { ...base, nickname: 'x' },
    ];
    for (const body of invalid) {
      const answer = await api(admin, '/officials', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(answer.body)).not.toContain(body.phone);
    }
    const taken = await api(admin, '/officials', { body: { ...base, phone: people.a1.phone } });
    expect(taken.status).toBe(409);
    expect(JSON.stringify(taken.body)).not.toContain(people.a1.phone.slice(3));
    expect((await api(operator, '/officials', { body: base })).status).toBe(403);
    expect((await api(opdToken, '/officials', { body: base })).status).toBe(403);
    expect((await api(undefined, '/officials', { body: base })).status).toBe(401);
  });

  it('changes an official, auditing the names of the fields changed and not their values', async () => {
    const renamed = `Rina Wulandari ${SUFFIX}`;
    people.a1 = { name: renamed, phone: newNumber() };
    const answer = await api(admin, `/officials/${a1.id}`, { method: 'PATCH', body: { name: renamed, phone: people.a1.phone } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: a1.id, name: renamed, phone: people.a1.phone, level: 1, opdCode: UNIT_A });
    const row = (await stack.runtime.db.selectFrom('officials').select('phone_hash').where('id', '=', a1.id).executeTakeFirst())!;
    expect(row.phone_hash).toBe(stack.runtime.crypto.lookupHash('phone', people.a1.phone));

    const [latest] = await auditFor('official', a1.id);
    expect(latest).toMatchObject({ action: 'official.update', details: { changed: ['name', 'phone'] } });
    expectNoPersonalData(await auditFor('official', a1.id));

    // The rules hold for the result.
    expect((await api(admin, `/officials/${a2.id}`, { method: 'PATCH', body: { level: 3 } })).status).toBe(400);
    expect((await api(admin, `/officials/${regencyWide.id}`, { method: 'PATCH', body: { opd: UNIT_A } })).status).toBe(400);
    expect((await api(admin, `/officials/${a2.id}`, { method: 'PATCH', body: {} })).status).toBe(400);
    // An inactive official may share a number; taking it into service may not.
    expect((await api(admin, `/officials/${regencyWide.id}`, { method: 'PATCH', body: { phone: people.b1.phone } })).status).toBe(200);
    expect((await api(admin, `/officials/${regencyWide.id}`, { method: 'PATCH', body: { active: true } })).status).toBe(409);
    expect((await api(admin, `/officials/${b1.id}`, { method: 'PATCH', body: { phone: people.a2.phone } })).status).toBe(409);
    const missing = await api(admin, '/officials/987654321', { method: 'PATCH', body: { name: 'Siapa' } });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBeTruthy();
    expect((await api(operator, `/officials/${a2.id}`, { method: 'PATCH', body: { role: 'kepala_dinas' } })).status).toBe(403);
  });

  it('deactivates an official instead of deleting it', async () => {
    const answer = await api(admin, `/officials/${a2.id}`, { method: 'DELETE' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: a2.id, active: false });
    const active = await api(admin, `/officials?opd=${UNIT_A}&active=true`);
    expect(active.body.items.map((o: Official) => o.id)).toEqual([a1.id]);
    const all = await api(admin, `/officials?opd=${UNIT_A}`);
    expect(all.body.items.map((o: Official) => o.id).sort()).toEqual([a1.id, a2.id].sort());
    expect((await auditFor('official', a2.id))[0]).toMatchObject({ action: 'official.deactivate', details: { changed: ['active'] } });
    expect((await api(admin, '/officials/987654321', { method: 'DELETE' })).status).toBe(404);
    expect((await api(operator, `/officials/${a1.id}`, { method: 'DELETE' })).status).toBe(403);
  });
});

describe('units', () => {
  it('lists OPDs with their categories and escalation chain, without personal data, to every role', async () => {
    for (const token of [admin, operator, opdToken, viewer]) {
      const answer = await api(token, '/units');
      expect(answer.status).toBe(200);
      expect(answer.body.items.find((u: { code: string }) => u.code === 'DPUPR')).toMatchObject({ active: true, categories: ['infrastruktur'] });
      expectNoPersonalData(answer.body);
      expect(JSON.stringify(answer.body)).not.toMatch(/\+62\d/);
    }
    const unit = await api(viewer, `/units/${UNIT_A.toLowerCase()}`);
    expect(unit.status).toBe(200);
    expect(unit.body).toMatchObject({ code: UNIT_A, name: 'Unit Uji A', active: true, categories: [] });
    const chain = unit.body.escalationChain;
    expect(chain.map((s: { level: number }) => s.level)).toEqual([1, 2, 3, 4]);
    expect(chain[0]).toMatchObject({ level: 1, label: 'Petugas OPD', scope: 'opd', roles: ['petugas_pengaduan'], activeOfficials: 1 });
    expect(chain[2]).toMatchObject({ level: 3, label: 'Sekretaris Daerah', scope: 'regency', roles: ['sekretaris_daerah'] });
    expect(chain[3]).toMatchObject({ level: 4, label: 'Bupati', scope: 'regency', roles: ['bupati'] });

    const missing = await api(viewer, '/units/NOSUCH1');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('NOSUCH1');
    expect((await api(viewer, '/units/no-such')).status).toBe(400);
    expect((await api(undefined, '/units')).status).toBe(401);
  });

  it('refuses a taken or malformed code and non-admin writes', async () => {
    expect((await api(admin, '/units', { body: { code: UNIT_A, name: 'Lagi' } })).status).toBe(409);
    for (const body of [{ code: 'A', name: 'Unit' }, { code: 'AB-CD', name: 'Unit' }, { code: 'ABCD' }, { code: 'ABCD', name: 'Unit', categories: ['jalan'] }]) {
      expect((await api(admin, '/units', { body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(operator, '/units', { body: { code: `UC${SUFFIX}`, name: 'Unit C' } })).status).toBe(403);
    expect((await api(viewer, `/units/${UNIT_A}`, { method: 'PATCH', body: { name: 'Unit' } })).status).toBe(403);
    expect((await api(opdToken, `/units/${UNIT_A}`, { method: 'DELETE' })).status).toBe(403);
  });

  it('moves a category to another OPD, refuses to leave one without an OPD, and gives it back', async () => {
    const bagorg = (await api(admin, '/units/BAGORG')).body;
    expect(bagorg.categories).toContain('layanan_publik');
    try {
      const moved = await api(admin, `/units/${UNIT_A}`, { method: 'PATCH', body: { categories: ['layanan_publik'], name: 'Unit Uji A Baru' } });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ name: 'Unit Uji A Baru', categories: ['layanan_publik'] });
      expect((await api(admin, '/units/BAGORG')).body.categories).not.toContain('layanan_publik');
      expect((await opdRepo.findUnitForCategory(stack.runtime.db, 'layanan_publik'))!.code).toBe(UNIT_A);
      expect((await auditFor('opd_unit', UNIT_A))[0]).toMatchObject({
        action: 'unit.update',
        details: { changed: ['name', 'categories'], movedFrom: { layanan_publik: 'BAGORG' } },
      });

      const dropping = await api(admin, `/units/${UNIT_A}`, { method: 'PATCH', body: { categories: [] } });
      expect(dropping.status).toBe(409);
      expect(dropping.body.detail).toContain('layanan_publik');
      const deactivating = await api(admin, `/units/${UNIT_A}`, { method: 'DELETE' });
      expect(deactivating.status).toBe(409);
      expect(deactivating.body.detail).toContain('still serves');
    } finally {
      const back = await api(admin, '/units/BAGORG', { method: 'PATCH', body: { categories: bagorg.categories } });
      expect(back.status).toBe(200);
    }
    expect((await opdRepo.findUnitForCategory(stack.runtime.db, 'layanan_publik'))!.code).toBe('BAGORG');
    expect((await api(admin, `/units/${UNIT_A}`)).body.categories).toEqual([]);
  });

  it('deactivates an OPD that serves no category, and then refuses it categories and officials', async () => {
    const answer = await api(admin, `/units/${UNIT_B}`, { method: 'DELETE' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ code: UNIT_B, active: false });
    expect((await auditFor('opd_unit', UNIT_B))[0]).toMatchObject({ action: 'unit.deactivate', details: { changed: ['active'] } });
    expect((await api(admin, `/units/${UNIT_B}`, { method: 'PATCH', body: { categories: ['lainnya'] } })).status).toBe(409);
    expect((await opdRepo.findUnitForCategory(stack.runtime.db, 'lainnya'))!.code).toBe('DISKOMINFO');
    const official = await api(admin, '/officials', { body: { name: 'Petugas', phone: newNumber(), opd: UNIT_B, level: 1, role: 'petugas_pengaduan' } });
    expect(official.status).toBe(409);
    expect((await api(admin, '/units/NOSUCH1', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('policy', () => {
  const current = async (): Promise<{ version: number; policy: PolicyValues }> => {
    const answer = await api(viewer, '/policy');
    expect(answer.status).toBe(200);
    return answer.body.active;
  };

  it('shows the version in force and the list of versions to every role', async () => {
    const inForce = await policiesRepo.findActivePolicy(stack.runtime.db);
    for (const token of [admin, operator, opdToken, viewer]) {
      const answer = await api(token, '/policy');
      expect(answer.status).toBe(200);
      expect(answer.body.active).toMatchObject({ version: inForce!.version, active: true, policy: inForce!.data });
      expect(answer.body.versions).toContainEqual(expect.objectContaining({ version: inForce!.version, active: true }));
    }
    const one = await api(viewer, `/policy/${inForce!.version}`);
    expect(one.status).toBe(200);
    expect(one.body.policy).toEqual(inForce!.data);
    expect((await api(viewer, '/policy/987654')).status).toBe(404);
    expect((await api(viewer, '/policy/abc')).status).toBe(400);
    expect((await api(undefined, '/policy')).status).toBe(401);
  });

  it('validates a new version', async () => {
    const { policy } = await current();
    const invalid: Array<[string, object]> = [
      ['targetYears', { ...policy, targetYears: { ringan: 2, sedang: 1, berat: 3 } }],
      ['targetYears.berat', { ...policy, targetYears: { ringan: 1, sedang: 2, berat: 0 } }],
      ['sendWindow', { ...policy, sendWindow: { startHour: 21, endHour: 7 } }],
      ['sendWindow.endHour', { ...policy, sendWindow: { startHour: 7, endHour: 25 } }],
      ['maxLevel', { ...policy, maxLevel: 5 }],
      ['maxLevel', { ...policy, maxLevel: 1 }],
      ['acceptReminderWorkingDays', { ...policy, acceptReminderWorkingDays: policy.acceptWorkingDays }],
      ['progressReminderDaysBefore', { ...policy, progressReminderDaysBefore: policy.progressIntervalDays }],
      ['milestones', { ...policy, milestones: [0.9, 0.5] }],
      ['milestones.0', { ...policy, milestones: [1.5] }],
      ['acceptWorkingDays', { ...policy, acceptWorkingDays: 2.5 }],
      ['confirmWorkingDays', { ...policy, confirmWorkingDays: undefined }],
      ['', { ...policy, version: 99 }],
    ];
    for (const [path, body] of invalid) {
      const answer = await api(admin, '/policy', { body });
      expect(answer.status, path).toBe(400);
      expect(answer.body.errors.map((e: { path: string }) => e.path), path).toContain(path ? `body.${path}` : 'body');
    }
    expect((await api(operator, '/policy', { body: policy })).status).toBe(403);
    expect((await api(viewer, '/policy', { body: policy })).status).toBe(403);
  });

  it('stores a new version, in force only when activated, and audits it', async () => {
    const before = await current();
    const stored = await api(admin, '/policy', { body: { ...before.policy, activate: false } });
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ active: false, policy: before.policy });
    expect(stored.body.version).toBeGreaterThan(before.version);
    const overview = (await api(viewer, '/policy')).body;
    expect(overview.active.version).toBe(before.version);
    expect(overview.versions[0]).toMatchObject({ version: stored.body.version, active: false });
    expect((await api(viewer, `/policy/${stored.body.version}`)).body).toMatchObject({ version: stored.body.version, policy: before.policy });
    expect((await auditFor('policy', stored.body.version))[0]).toMatchObject({ action: 'policy.create', details: { activated: false } });

    // Activating the version in force changes nothing (and is recorded); an unknown one is 404.
    const again = await api(admin, `/policy/${before.version}/activate`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: before.version, active: true });
    expect((await auditFor('policy', before.version))[0]).toMatchObject({ action: 'policy.activate', details: { previous: before.version } });
    expect((await api(admin, '/policy/987654/activate', { method: 'POST' })).status).toBe(404);
    expect((await api(operator, `/policy/${before.version}/activate`, { method: 'POST' })).status).toBe(403);

    // Putting a version in force makes it the only active one, in one transaction; shown here in
    // a transaction that is rolled back, so that complaints accepted meanwhile by other test
    // files keep the version they expect.
    const auth: AuthContext = { tokenId: adminId, name: 'test admin', role: 'admin', opdUnitId: null };
    const { db } = stack.runtime;
    const rollback = new Error('rollback');
    await expect(
      db.transaction().execute(async (trx) => {
        const created = await createPolicyVersion(trx, auth, before.policy, { activate: true });
        expect(created.active).toBe(true);
        expect((await policiesRepo.findActivePolicy(trx))!.version).toBe(created.version);
        expect((await policiesRepo.listPolicies(trx)).filter((p) => p.active).map((p) => p.version)).toEqual([created.version]);
        await activatePolicyVersion(trx, auth, stored.body.version);
        expect((await policiesRepo.listPolicies(trx)).filter((p) => p.active).map((p) => p.version)).toEqual([stored.body.version]);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect((await current()).version).toBe(before.version);
  });
});

describe('holidays', () => {
  const day1 = `${YEAR}-03-17`;
  const day2 = `${YEAR}-08-18`;

  it('adds holidays, refusing a date already in the calendar and malformed ones', async () => {
    const first = await api(admin, '/holidays', { body: { date: day1, name: 'Hari Uji Coba', kind: 'libur_nasional' } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ date: day1, name: 'Hari Uji Coba', kind: 'libur_nasional', active: true });
    expect((await api(admin, '/holidays', { body: { date: day2, name: 'Cuti bersama uji', kind: 'cuti_bersama' } })).status).toBe(201);
    const taken = await api(admin, '/holidays', { body: { date: day1, name: 'Lagi', kind: 'cuti_bersama' } });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toContain('PATCH');
    for (const body of [
      { date: `${YEAR}-02-30`, name: 'Tidak ada', kind: 'libur_nasional' },
      { date: `${YEAR}-3-1`, name: 'Format', kind: 'libur_nasional' },
      { date: `${YEAR}-03-02`, name: 'Jenis', kind: 'libur_daerah' },
      { date: `${YEAR}-03-02`, kind: 'libur_nasional' },
    ]) {
      expect((await api(admin, '/holidays', { body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(operator, '/holidays', { body: { date: `${YEAR}-03-03`, name: 'Hari', kind: 'libur_nasional' } })).status).toBe(403);
    expect((await api(undefined, '/holidays', { body: { date: `${YEAR}-03-03`, name: 'Hari', kind: 'libur_nasional' } })).status).toBe(401);
    expect((await auditFor('holiday', day1))[0]).toMatchObject({ action: 'holiday.create', tokenId: adminId });
  });

  it('lists a year to every role, and changes and deactivates a date', async () => {
    for (const token of [admin, operator, opdToken, viewer]) {
      const answer = await api(token, `/holidays?year=${YEAR}`);
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((h: { date: string }) => h.date)).toEqual([day1, day2]);
    }
    const seeded = await api(viewer, '/holidays?year=2026');
    expect(seeded.body.items).toContainEqual({ date: '2026-08-17', name: 'Hari Proklamasi Kemerdekaan Republik Indonesia', kind: 'libur_nasional', active: true });

    const changed = await api(admin, `/holidays/${day2}`, { method: 'PATCH', body: { name: 'Cuti bersama (revisi SKB)', kind: 'libur_nasional' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ date: day2, name: 'Cuti bersama (revisi SKB)', kind: 'libur_nasional', active: true });
    expect((await auditFor('holiday', day2))[0]).toMatchObject({ action: 'holiday.update', details: { changed: ['name', 'kind'] } });

    const removed = await api(admin, `/holidays/${day1}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ date: day1, active: false });
    expect((await auditFor('holiday', day1))[0]).toMatchObject({ action: 'holiday.deactivate' });
    expect((await api(viewer, `/holidays?year=${YEAR}&active=true`)).body.items.map((h: { date: string }) => h.date)).toEqual([day2]);
    expect((await api(viewer, `/holidays?year=${YEAR}&active=false`)).body.items.map((h: { date: string }) => h.date)).toEqual([day1]);
    // Deadlines computed from now on read the calendar as it is.
    const keys = await holidaysRepo.listActiveHolidayKeys(stack.runtime.db, new Date(`${YEAR}-01-01T00:00:00+07:00`), new Date(`${YEAR}-12-31T00:00:00+07:00`));
    expect(keys).toEqual([day2]);

    expect((await api(admin, `/holidays/${YEAR}-03-18`, { method: 'PATCH', body: { name: 'Tidak ada' } })).status).toBe(404);
    expect((await api(admin, `/holidays/${YEAR}-03-18`, { method: 'DELETE' })).status).toBe(404);
    expect((await api(admin, '/holidays/17-03-2100', { method: 'DELETE' })).status).toBe(400);
    expect((await api(admin, `/holidays/${day2}`, { method: 'PATCH', body: {} })).status).toBe(400);
    expect((await api(viewer, `/holidays/${day2}`, { method: 'PATCH', body: { active: false } })).status).toBe(403);
    expect((await api(viewer, '/holidays?year=abc')).status).toBe(400);
  });
});

describe('audit log', () => {
  it('is for admins only', async () => {
    for (const token of [operator, opdToken, viewer]) expect((await api(token, '/audit')).status).toBe(403);
    expect((await api(undefined, '/audit')).status).toBe(401);
  });

  it('filters, pages newest first by a stable cursor, and holds no personal data', async () => {
    const all = await api(admin, `/audit?token=${adminId}&limit=100`);
    expect(all.status).toBe(200);
    const ids: number[] = all.body.items.map((e: { id: number }) => e.id);
    expect(ids.length).toBeGreaterThan(10);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(all.body.items.every((e: { tokenId: number; role: string }) => e.tokenId === adminId && e.role === 'admin')).toBe(true);
    expectNoPersonalData(all.body);
    expect(all.body.items[0]).toEqual({
      id: expect.any(Number),
      tokenId: adminId,
      actor: `token:${adminId}`,
      role: 'admin',
      action: expect.any(String),
      resourceType: expect.any(String),
      resourceId: expect.toSatisfy((v) => v === null || typeof v === 'string'),
      details: expect.any(Object),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    // Pages of 4, while new entries arrive between pages: the walk sees exactly the entries
    // that were there when it began.
    const walked: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: number }>; nextCursor: string | null } } = await api(
        admin,
        `/audit?token=${adminId}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      walked.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
      await api(admin, `/officials?opd=${UNIT_A}`); // one more official.reveal entry, newer than the walk
    } while (cursor);
    expect(walked.slice(0, ids.length)).toEqual(ids);
    expect(new Set(walked).size).toBe(walked.length);

    const byAction = await api(admin, `/audit?action=holiday.update&resourceType=holiday&resourceId=${YEAR}-08-18`);
    expect(byAction.body.items).toHaveLength(1);
    const future = await api(admin, `/audit?token=${adminId}&from=2999-01-01`);
    expect(future.body).toEqual({ items: [], nextCursor: null });
    const upToNow = await api(admin, `/audit?token=${adminId}&from=2020-01-01&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&limit=100`);
    expect(upToNow.body.items.length).toBeGreaterThanOrEqual(ids.length);

    for (const query of ['limit=101', 'limit=0', 'cursor=not-a-cursor', 'from=2030-01-01&to=2029-01-01', 'token=abc', 'from=yesterday']) {
      expect((await api(admin, `/audit?${query}`)).status, query).toBe(400);
    }
  });
});
