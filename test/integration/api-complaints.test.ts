import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tokensRepo from '../../db/repositories/api-tokens';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as opdRepo from '../../db/repositories/opd';
import type { NewComplaint } from '../../db/schema';
import { formatTicketCode } from '../../domain/report';
import { hashToken } from '../../services/api-tokens';
import { EXPORT_BATCH_SIZE } from '../../services/complaint-queries';
import { callApi, issueToken } from '../support/api';
import { submitRoutedComplaint } from '../support/complaints';
import { startTestStack, type TestStack } from '../support/runtime';
import { newCitizenNumber, SAMPLE_JPEG } from '../support/whatsapp';

// The read side of complaints in the admin API (list, detail, evidence, CSV), against the real
// service on PostgreSQL, the Temporal dev server and the fake Twilio server. The database is shared
// with other test files: every list query is scoped to rows of this file by a unique word.

let stack: TestStack;
const tokens: Record<'admin' | 'operator' | 'viewer' | 'dpupr' | 'dinkes', string> = {} as never;

/** A word no other row has: letters only, ending in q so the Indonesian stemmer leaves it whole. */
const uniqueWord = () => `qx${Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('')}q`;

const get = (token: string, path: string) => callApi(stack, token, `/api/v1${path}`);
const codesOf = (answer: { body: { items: Array<{ ticketCode: string }> } }) => answer.body.items.map((i) => i.ticketCode);
const sorted = (codes: string[]) => [...codes].sort();

async function tokenId(token: string): Promise<number> {
  return (await tokensRepo.findActiveByHash(stack.runtime.db, hashToken(token)))!.id;
}

async function auditRows(token: string, action: string, resourceId?: string) {
  let query = stack.runtime.db.selectFrom('audit_log').selectAll().where('token_id', '=', await tokenId(token)).where('action', '=', action);
  if (resourceId) query = query.where('resource_id', '=', resourceId);
  return query.orderBy('id').execute();
}

const unitId = async (code: string) => (await opdRepo.findUnitByCode(stack.runtime.db, code))!.id;

interface RowSpec extends Partial<NewComplaint> {
  name?: string;
  nik?: string;
  address?: string;
  phone?: string;
  /** Text, so microseconds survive: 'YYYY-MM-DDTHH:MM:SS.ffffffZ' or with an offset. */
  submittedAt?: string;
}

/** A complaint stored directly with the repositories, as the intake would (no workflow). */
async function insertRow(spec: RowSpec) {
  const { db, crypto } = stack.runtime;
  const { name = 'Budi Santoso', nik = '3513010101900001', address = 'Jl. Mawar 1, Kraksaan', phone = `+628${randomInt(1e9, 1e10)}`, submittedAt, ...columns } = spec;
  const reporterId = await complaintsRepo.upsertReporter(db, crypto.lookupHash('phone', phone), crypto.encrypt(phone));
  const ticketCode = formatTicketCode(2096, await complaintsRepo.nextTicketNumber(db, 2096));
  return complaintsRepo.insertComplaint(db, {
    ticket_code: ticketCode,
    submission_key: randomUUID(),
    reporter_id: reporterId,
    reporter_name_enc: crypto.encrypt(name),
    reporter_address_enc: crypto.encrypt(address),
    nik_enc: crypto.encrypt(nik),
    nik_hash: crypto.lookupHash('nik', nik),
    outside_regency: false,
    kind: 'aduan',
    category: 'infrastruktur',
    category_inferred: false,
    description: 'Keluhan warga',
    location_text: null,
    kecamatan: null,
    latitude: null,
    longitude: null,
    status: 'received',
    opd_unit_id: null,
    submitted_at: (submittedAt ?? '2001-01-01T00:00:00Z') as unknown as Date,
    ...columns,
  });
}

const submitComplaint = (citizen: string) => submitRoutedComplaint(stack, citizen);

/** RFC 4180: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function fetchCsv(token: string, query: string) {
  const response = await fetch(`${stack.runtime.url}/api/v1/complaints.csv?${query}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const [header = [], ...rows] = response.ok ? parseCsv(text) : [];
  const records = rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
  return { response, text, header, records };
}

beforeAll(async () => {
  stack = await startTestStack();
  tokens.admin = await issueToken(stack, 'admin');
  tokens.operator = await issueToken(stack, 'operator');
  tokens.viewer = await issueToken(stack, 'viewer');
  tokens.dpupr = await issueToken(stack, 'opd', 'DPUPR');
  tokens.dinkes = await issueToken(stack, 'opd', 'DINKES');
});

afterAll(async () => {
  await stack?.stop();
});

describe('GET /complaints filters', () => {
  const word = uniqueWord();
  const second = uniqueWord();
  const rows: Record<'A' | 'B' | 'C' | 'D' | 'E', string> = {} as never;

  beforeAll(async () => {
    const [dpupr, dinkes, disdik] = await Promise.all(['DPUPR', 'DINKES', 'DISDIK'].map(unitId));
    const late = '2001-05-01T00:00:00Z';
    const specs: Record<keyof typeof rows, RowSpec> = {
      A: { status: 'routed', category: 'infrastruktur', kind: 'aduan', opd_unit_id: dpupr, kecamatan: 'Kraksaan', submittedAt: '2001-03-01T10:00:00+07:00', description: `Jalan rusak ${word} dekat ${second}` },
      B: { status: 'accepted', category: 'kesehatan', kind: 'usul', opd_unit_id: dinkes, kecamatan: 'Paiton', difficulty: 'sedang', escalation_level: 2, overdue_since: late, submittedAt: '2001-03-05T00:00:00+07:00', description: `Puskesmas ${word}` },
      C: { status: 'tuntas', category: 'pendidikan', kind: 'saran', opd_unit_id: disdik, kecamatan: 'Kraksaan', difficulty: 'ringan', overdue_since: late, submittedAt: '2001-03-10T00:00:00+07:00', description: `Sekolah ${word} ${second}` },
      D: { status: 'in_progress', category: 'infrastruktur', kind: 'nasihat', opd_unit_id: dpupr, difficulty: 'berat', escalation_level: 3, overdue_since: late, submittedAt: '2001-03-20T00:00:00+07:00', description: `Jembatan ${word}` },
      E: { status: 'received', category: 'lainnya', kind: 'aduan', submittedAt: '2001-04-02T00:00:00+07:00', description: `Lainnya ${word}` },
    };
    for (const [key, spec] of Object.entries(specs)) rows[key as keyof typeof rows] = (await insertRow(spec)).ticket_code;
  });

  const expectCodes = async (filters: string, keys: Array<keyof typeof rows>) => {
    const answer = await get(tokens.operator, `/complaints?q=${word}&limit=100${filters}`);
    expect(answer.status, filters).toBe(200);
    expect(sorted(codesOf(answer)), filters).toEqual(sorted(keys.map((k) => rows[k])));
  };

  it('finds the rows by the word, newest first, with summary fields and masked reporters', async () => {
    const answer = await get(tokens.admin, `/complaints?q=${word}`);
    expect(answer.status).toBe(200);
    expect(codesOf(answer)).toEqual([rows.E, rows.D, rows.C, rows.B, rows.A]);
    expect(answer.body.nextCursor).toBeNull();
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    const b = answer.body.items.find((i: { ticketCode: string }) => i.ticketCode === rows.B);
    expect(b).toEqual({
      ticketCode: rows.B,
      kind: 'usul',
      category: 'kesehatan',
      status: 'accepted',
      opd: { code: 'DINKES', name: 'Dinas Kesehatan' },
      kecamatan: 'Paiton',
      difficulty: 'sedang',
      escalationLevel: 2,
      overdueSince: '2001-05-01T00:00:00.000Z',
      submittedAt: '2001-03-04T17:00:00.000Z',
      acceptedAt: null,
      targetAt: null,
      resolvedAt: null,
      closedAt: null,
      rating: null,
      description: `Puskesmas ${word}`,
      reporter: { name: 'B*** S******', nik: '3513********0001' },
    });
    expect(answer.body.items.find((i: { ticketCode: string }) => i.ticketCode === rows.E).opd).toBeNull();
  });

  it('filters by status (one or a list), category, kind, OPD, kecamatan, difficulty, level and overdue', async () => {
    await expectCodes('&status=routed', ['A']);
    await expectCodes('&status=accepted,in_progress', ['B', 'D']);
    await expectCodes('&category=infrastruktur', ['A', 'D']);
    await expectCodes('&kind=usul', ['B']);
    await expectCodes('&opd=DPUPR', ['A', 'D']);
    await expectCodes('&opd=dinkes', ['B']);
    await expectCodes('&kecamatan=kraksaan', ['A', 'C']);
    await expectCodes('&difficulty=sedang', ['B']);
    await expectCodes('&level=3', ['D']);
    await expectCodes('&level=1', ['A', 'C', 'E']);
    // C is late but tuntas: no longer overdue.
    await expectCodes('&overdue=true', ['B', 'D']);
    await expectCodes('&overdue=false', ['A', 'C', 'E']);
    await expectCodes('&category=infrastruktur&status=routed', ['A']);
  });

  it('filters by a date range (dates at midnight WIB, `to` exclusive) and by date-times', async () => {
    await expectCodes('&from=2001-03-05&to=2001-03-20', ['B', 'C']);
    await expectCodes('&from=2001-03-20', ['D', 'E']);
    await expectCodes('&to=2001-03-05', ['A']);
    await expectCodes(`&from=${encodeURIComponent('2001-03-05T00:00:00.001+07:00')}&to=${encodeURIComponent('2001-03-19T17:00:00.001Z')}`, ['C', 'D']);
  });

  it('searches the description with PostgreSQL full text', async () => {
    const both = await get(tokens.operator, `/complaints?q=${encodeURIComponent(`${word} ${second}`)}`);
    expect(sorted(codesOf(both))).toEqual(sorted([rows.A, rows.C]));
    const without = await get(tokens.operator, `/complaints?q=${encodeURIComponent(`${word} -${second}`)}`);
    expect(sorted(codesOf(without))).toEqual(sorted([rows.B, rows.D, rows.E]));
    expect(codesOf(await get(tokens.operator, `/complaints?q=${uniqueWord()}`))).toEqual([]);
  });

  it('refuses invalid filter values with a 400 problem', async () => {
    for (const filters of [
      'status=bogus',
      'status=routed,bogus',
      'category=jalan',
      'kind=keluhan',
      'opd=NOSUCHOPD',
      'opd=../x',
      'kecamatan=Atlantis',
      'difficulty=mudah',
      'level=5',
      'level=0',
      'level=abc',
      'overdue=yes',
      'from=2001-13-01',
      'from=2001-03-05T00:00:00',
      'from=2001-03-20&to=2001-03-05',
      'q=',
      'cursor=bm90LWEtY3Vyc29y',
      'limit=0',
      'limit=101',
      'limit=ten',
      'unknown=1',
    ]) {
      const answer = await get(tokens.operator, `/complaints?${filters}`);
      expect(answer.status, filters).toBe(400);
      expect(answer.headers.get('content-type'), filters).toContain('application/problem+json');
      expect(answer.body, filters).toMatchObject({ status: 400 });
    }
    expect((await get(tokens.operator, `/complaints?q=${word}&limit=100`)).status).toBe(200);
    expect((await get(tokens.operator, `/complaints?q=${word}&limit=1`)).body.items).toHaveLength(1);
  });

  it('holds an opd token to its own OPD', async () => {
    const own = await get(tokens.dpupr, `/complaints?q=${word}`);
    expect(own.status).toBe(200);
    expect(sorted(codesOf(own))).toEqual(sorted([rows.A, rows.D]));
    expect((await get(tokens.dpupr, `/complaints?q=${word}&opd=DPUPR`)).status).toBe(200);
    const other = await get(tokens.dpupr, `/complaints?q=${word}&opd=DINKES`);
    expect(other.status).toBe(403);
    expect(other.body.detail).toBeTruthy();
    expect(codesOf(await get(tokens.dinkes, `/complaints?q=${word}`))).toEqual([rows.B]);
  });

  it('gives viewers the list without any reporter', async () => {
    const answer = await get(tokens.viewer, `/complaints?q=${word}`);
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(5);
    for (const item of answer.body.items) expect(item).not.toHaveProperty('reporter');
    expect(JSON.stringify(answer.body)).not.toContain('3513');
  });

  it('answers another OPD’s complaint with 403, an unknown code with 404 and a malformed one with 400', async () => {
    const refused = await get(tokens.dpupr, `/complaints/${rows.B}`);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/another OPD/);
    // Not routed yet: no OPD may see it.
    expect((await get(tokens.dpupr, `/complaints/${rows.E}`)).status).toBe(403);
    expect((await get(tokens.dpupr, `/complaints/${rows.A}`)).status).toBe(200);

    const unknown = await get(tokens.admin, '/complaints/LK-2095-999999');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body).toMatchObject({ status: 404, detail: 'There is no complaint LK-2095-999999.' });

    for (const code of ['ABC', 'LK-26-1', 'LK-2026-0000001']) {
      const malformed = await get(tokens.admin, `/complaints/${code}`);
      expect(malformed.status, code).toBe(400);
      expect(malformed.body.errors?.[0]?.path, code).toBe('path.code');
    }
    // Ticket codes are not case sensitive.
    expect((await get(tokens.admin, `/complaints/${rows.A.toLowerCase()}`)).body.ticketCode).toBe(rows.A);
  });

  it('falls back to the database for the deadlines when no workflow answers', async () => {
    const answer = await get(tokens.operator, `/complaints/${rows.B}`);
    expect(answer.status).toBe(200);
    expect(answer.body.deadlines).toEqual({ source: 'database', nextDeadline: null, targetAt: null, confirmBy: null });
    // Level 2 of DINKES: its head.
    const head = (await opdRepo.findActiveOfficials(stack.runtime.db, await unitId('DINKES'), 2)).map((o) => o.id);
    expect(answer.body.responsible.map((o: { id: number }) => o.id)).toEqual(head);
    expect(answer.body.responsible.every((o: { level: number }) => o.level === 2)).toBe(true);
    // Level 3: regency-wide.
    const d = await get(tokens.operator, `/complaints/${rows.D}`);
    const sekda = (await opdRepo.findActiveOfficials(stack.runtime.db, null, 3)).map((o) => o.id);
    expect(d.body.responsible.map((o: { id: number }) => o.id)).toEqual(sekda);
  });
});

describe('keyset pagination', () => {
  it('stays stable while new complaints arrive: no duplicates, no gaps, microseconds kept', async () => {
    const word = uniqueWord();
    // Newest first. Rows 9 and 10 differ by microseconds within one millisecond (a cursor rounded
    // to milliseconds would skip row 10); 4–7 and 19–20 share an instant (ordered by id).
    const instants = Array.from({ length: 25 }, (_, i) => new Date(Date.UTC(2002, 0, 30) - i * 3600_000).toISOString().replace('Z', '000Z'));
    const tied = instants[4];
    for (const i of [5, 6, 7]) instants[i] = tied;
    instants[10] = instants[9].replace('.000000Z', '.123200Z');
    instants[9] = instants[9].replace('.000000Z', '.123456Z');
    instants[20] = instants[19];
    // Inserted in a shuffled order, so ids do not follow time.
    const order = instants.map((_, i) => i).sort(() => Math.random() - 0.5);
    const inserted: Array<{ code: string; id: number; at: string }> = [];
    for (const i of order) {
      const row = await insertRow({ submittedAt: instants[i], description: `Antrean ${word} nomor ${i}`, status: 'tuntas' });
      inserted.push({ code: row.ticket_code, id: row.id, at: instants[i] });
    }
    const expected = [...inserted].sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1)).map((r) => r.code);

    const first = await get(tokens.operator, `/complaints?q=${word}&limit=10`);
    expect(codesOf(first)).toEqual(expected.slice(0, 10));
    expect(first.body.nextCursor).toEqual(expect.any(String));

    // New complaints arrive, newer than everything listed.
    const newer = [];
    for (let i = 0; i < 5; i++) newer.push((await insertRow({ submittedAt: new Date().toISOString(), description: `Baru ${word}` })).ticket_code);

    const second = await get(tokens.operator, `/complaints?q=${word}&limit=10&cursor=${first.body.nextCursor}`);
    expect(codesOf(second)).toEqual(expected.slice(10, 20));
    const third = await get(tokens.operator, `/complaints?q=${word}&limit=10&cursor=${second.body.nextCursor}`);
    expect(codesOf(third)).toEqual(expected.slice(20));
    expect(third.body.nextCursor).toBeNull();
    const all = [...codesOf(first), ...codesOf(second), ...codesOf(third)];
    expect(new Set(all).size).toBe(25);

    // Starting again shows the new ones first; the default page is 20.
    const fresh = await get(tokens.operator, `/complaints?q=${word}`);
    expect(fresh.body.items).toHaveLength(20);
    expect(sorted(codesOf(fresh).slice(0, 5))).toEqual(sorted(newer));
  });
});

describe('GET /complaints/{code} of a complaint submitted over WhatsApp', () => {
  let code: string;
  let otherCode: string;
  let citizen: string;

  beforeAll(async () => {
    citizen = newCitizenNumber();
    [code, otherCode] = await Promise.all([submitComplaint(citizen), submitComplaint(newCitizenNumber())]);
  });

  it('shows an admin everything in clear, and audits the reveal', async () => {
    const answer = await get(tokens.admin, `/complaints/${code}`);
    expect(answer.status).toBe(200);
    const detail = answer.body;
    expect(detail).toMatchObject({
      ticketCode: code,
      kind: 'aduan',
      category: 'infrastruktur',
      status: 'routed',
      opd: { code: 'DPUPR' },
      escalationLevel: 1,
      description: 'Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.',
      outsideRegency: false,
      reopenCount: 0,
      rejectionReason: null,
      reporter: {
        name: 'Siti Aminah',
        nik: '3513015508900001',
        address: 'Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih',
        phone: citizen.replace('whatsapp:', ''),
      },
    });
    expect(detail.location).toMatchObject({ kecamatan: 'Sumberasih' });

    // Deadlines from the running workflow: it waits for the OPD to accept.
    expect(detail.deadlines.source).toBe('workflow');
    expect(detail.deadlines.nextDeadline).toMatchObject({ kind: 'accept_reminder', at: expect.any(String) });

    // The officials at level 1 of DPUPR, in clear with masked numbers.
    const officials = await opdRepo.findActiveOfficials(stack.runtime.db, await unitId('DPUPR'), 1);
    expect(detail.responsible).toEqual(
      officials.map((o) => ({ id: o.id, role: o.role, level: 1, name: stack.runtime.crypto.decrypt(o.name_enc), phone: expect.stringMatching(/^\+62\d+\*{4}\d{4}$/) })),
    );

    const eventTypes = detail.timeline.events.map((e: { type: string }) => e.type);
    expect(eventTypes).toEqual(expect.arrayContaining(['received', 'routed']));
    const receipt = detail.timeline.messages.find((m: { counterpart: string; text?: string }) => m.counterpart === 'citizen' && m.text?.includes(code));
    expect(receipt).toMatchObject({ direction: 'outbound', status: expect.any(String), errorCode: null });
    expect(detail.timeline.messages.some((m: { counterpart: string }) => m.counterpart === 'official')).toBe(true);

    expect(detail.media).toEqual([{ id: expect.any(String), contentType: 'image/jpeg', sizeBytes: SAMPLE_JPEG.length, url: `/api/v1/complaints/${code}/media/${detail.media[0].id}` }]);

    const [entry] = await auditRows(tokens.admin, 'complaint.reveal', code);
    expect(entry).toMatchObject({ resource_type: 'complaint', role: 'admin', actor: `token:${await tokenId(tokens.admin)}` });
    expect(JSON.stringify(entry.details)).not.toMatch(/Siti|3513015508900001|Krajan/);
  });

  it('shows an opd token of the complaint’s OPD in clear (audited) and refuses another OPD', async () => {
    const own = await get(tokens.dpupr, `/complaints/${code}`);
    expect(own.status).toBe(200);
    expect(own.body.reporter.nik).toBe('3513015508900001');
    expect(await auditRows(tokens.dpupr, 'complaint.reveal', code)).toHaveLength(1);
    const other = await get(tokens.dinkes, `/complaints/${code}`);
    expect(other.status).toBe(403);
    expect(await auditRows(tokens.dinkes, 'complaint.reveal', code)).toHaveLength(0);
  });

  it('gives a viewer masked names and NIK, no address, phone, message texts or notes, and writes no audit entry', async () => {
    const noted = await callApi(stack, tokens.operator, `/api/v1/complaints/${code}/actions`, { body: { type: 'note', text: 'Pelapor minta dihubungi Pak Slamet' } });
    expect(noted.status).toBe(200);
    const answer = await get(tokens.viewer, `/complaints/${code}`);
    expect(answer.body.timeline.events.find((e: { type: string }) => e.type === 'note_added')).toMatchObject({ data: {} });
    expect(answer.status).toBe(200);
    expect(answer.body.reporter).toEqual({ name: 'S*** A*****', nik: '3513********0001' });
    for (const message of answer.body.timeline.messages) expect(message).not.toHaveProperty('text');
    for (const official of answer.body.responsible) expect(official.name).toMatch(/^\S\*{3,}/);
    const json = JSON.stringify(answer.body);
    for (const secret of ['Siti', 'Aminah', '3513015508900001', 'Krajan', 'Slamet', citizen.replace('whatsapp:', '')]) expect(json).not.toContain(secret);
    expect(await auditRows(tokens.viewer, 'complaint.reveal')).toHaveLength(0);
  });

  it('streams the evidence with its type, audited; refuses viewers and other complaints’ media', async () => {
    const detail = (await get(tokens.operator, `/complaints/${code}`)).body;
    const media = await fetch(`${stack.runtime.url}${detail.media[0].url}`, { headers: { authorization: `Bearer ${tokens.operator}` } });
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('image/jpeg');
    expect(media.headers.get('cache-control')).toBe('private, no-store');
    expect(media.headers.get('content-disposition')).toBe('inline');
    expect(media.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await media.arrayBuffer()).equals(SAMPLE_JPEG)).toBe(true);
    const [entry] = await auditRows(tokens.operator, 'complaint.media.view', code);
    expect(entry.details).toEqual({ mediaId: detail.media[0].id });

    expect((await get(tokens.viewer, detail.media[0].url.replace('/api/v1', ''))).status).toBe(403);
    expect((await get(tokens.dinkes, detail.media[0].url.replace('/api/v1', ''))).status).toBe(403);

    const otherMedia = (await get(tokens.operator, `/complaints/${otherCode}`)).body.media[0].id;
    const crossed = await get(tokens.operator, `/complaints/${code}/media/${otherMedia}`);
    expect(crossed.status).toBe(404);
    expect(crossed.body.detail).toContain(code);
    expect((await get(tokens.operator, `/complaints/${code}/media/${randomUUID()}`)).status).toBe(404);
    expect((await get(tokens.operator, `/complaints/${code}/media/not-a-uuid`)).status).toBe(400);
    expect((await get(tokens.operator, `/complaints/LK-2095-999998/media/${otherMedia}`)).status).toBe(404);
  });
});

describe('GET /complaints.csv', () => {
  const word = uniqueWord();
  let plain: string;
  let tricky: string;
  let other: string;

  beforeAll(async () => {
    const [dpupr, dinkes] = await Promise.all(['DPUPR', 'DINKES'].map(unitId));
    plain = (await insertRow({ opd_unit_id: dpupr, status: 'routed', description: `Lampu jalan ${word} padam`, phone: '+6281200000001', submittedAt: '2001-06-02T00:00:00Z' })).ticket_code;
    tricky = (
      await insertRow({
        opd_unit_id: dpupr,
        status: 'routed',
        name: '@Rahmat',
        nik: '3513020202900002',
        address: 'Jl. Melati 2, RT 01',
        description: `=HYPERLINK("http://x") ${word}, "kutip"\nbaris kedua`,
        submittedAt: '2001-06-01T00:00:00Z',
      })
    ).ticket_code;
    other = (await insertRow({ opd_unit_id: dinkes, status: 'routed', description: `Obat ${word}`, submittedAt: '2001-05-01T00:00:00Z' })).ticket_code;
  });

  it('streams the filtered list with reporter name and NIK masked, audited', async () => {
    const { response, header, records } = await fetchCsv(tokens.operator, `q=${word}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="lapor-kand4-complaints.csv"');
    expect(header).toEqual(expect.arrayContaining(['ticket_code', 'status', 'opd_code', 'submitted_at', 'description', 'reporter_name', 'reporter_nik']));
    expect(header).not.toContain('reporter_address');
    expect(records.map((r) => r.ticket_code)).toEqual([plain, tricky, other]);
    expect(records[0]).toMatchObject({ ticket_code: plain, status: 'routed', opd_code: 'DPUPR', reporter_name: 'B*** S******', reporter_nik: '3513********0001', submitted_at: '2001-06-02T00:00:00.000Z' });
    const [entry] = await auditRows(tokens.operator, 'complaint.export');
    expect(entry.details).toEqual({ unmasked: false, filters: { q: word } });
  });

  it('escapes quotes, commas and line breaks, and defuses formulas', async () => {
    const { text, records } = await fetchCsv(tokens.operator, `q=${word}&opd=DPUPR`);
    const row = records.find((r) => r.ticket_code === tricky)!;
    expect(row.description).toBe(`'=HYPERLINK("http://x") ${word}, "kutip"\nbaris kedua`);
    expect(row.reporter_name).toBe("'@******");
    expect(text).toContain(`"'=HYPERLINK(""http://x"") ${word}, ""kutip""\nbaris kedua"`);
  });

  it('gives clear personal data only to an admin who asks, audited', async () => {
    for (const token of [tokens.operator, tokens.dpupr, tokens.viewer]) {
      const refused = await fetchCsv(token, `q=${word}&unmasked=true`);
      expect(refused.response.status).toBe(403);
      expect(refused.response.headers.get('content-type')).toContain('application/problem+json');
    }
    const { response, records } = await fetchCsv(tokens.admin, `q=${word}&unmasked=true&status=routed`);
    expect(response.status).toBe(200);
    expect(records.find((r) => r.ticket_code === plain)).toMatchObject({
      reporter_name: 'Budi Santoso',
      reporter_nik: '3513010101900001',
      reporter_address: 'Jl. Mawar 1, Kraksaan',
      // A leading + would start a formula in a spreadsheet.
      reporter_phone: "'+6281200000001",
    });
    expect(records.find((r) => r.ticket_code === tricky)).toMatchObject({ reporter_name: "'@Rahmat", reporter_nik: '3513020202900002' });
    const entries = await auditRows(tokens.admin, 'complaint.export');
    expect(entries.at(-1)!.details).toEqual({ unmasked: true, filters: { q: word, status: ['routed'] } });
  });

  it('leaves reporter columns out for viewers and holds opd tokens to their OPD', async () => {
    const viewer = await fetchCsv(tokens.viewer, `q=${word}`);
    expect(viewer.response.status).toBe(200);
    expect(viewer.header.some((h) => h.startsWith('reporter'))).toBe(false);
    expect(viewer.text).not.toContain('3513');
    expect(viewer.records).toHaveLength(3);

    expect((await fetchCsv(tokens.dinkes, `q=${word}`)).records.map((r) => r.ticket_code)).toEqual([other]);
    expect((await fetchCsv(tokens.dinkes, `q=${word}&opd=DPUPR`)).response.status).toBe(403);
    expect((await fetchCsv(tokens.operator, `q=${word}&limit=10`)).response.status).toBe(400);
    expect((await fetchCsv(tokens.operator, `status=bogus`)).response.status).toBe(400);
  });

  it('exports more rows than one batch, each once', async () => {
    const bulkWord = uniqueWord();
    const { db, crypto } = stack.runtime;
    const phone = '+6281200000002';
    const reporterId = await complaintsRepo.upsertReporter(db, crypto.lookupHash('phone', phone), crypto.encrypt(phone));
    const count = EXPORT_BATCH_SIZE + 5;
    const values: NewComplaint[] = [];
    for (let i = 0; i < count; i++) {
      values.push({
        ticket_code: formatTicketCode(2095, await complaintsRepo.nextTicketNumber(db, 2095)),
        submission_key: randomUUID(),
        reporter_id: reporterId,
        reporter_name_enc: crypto.encrypt('Ani'),
        reporter_address_enc: crypto.encrypt('Jl. Kenanga'),
        nik_enc: crypto.encrypt('3513030303900003'),
        nik_hash: crypto.lookupHash('nik', '3513030303900003'),
        outside_regency: false,
        kind: 'saran',
        category: 'lainnya',
        category_inferred: false,
        description: `Saran ${bulkWord}`,
        location_text: null,
        kecamatan: null,
        latitude: null,
        longitude: null,
        status: 'tuntas',
        opd_unit_id: null,
        // Pairs share an instant: ties, also across the batch boundary, are ordered by id.
        submitted_at: new Date(Date.UTC(2000, 0, 1) + Math.floor(i / 2) * 60_000),
      });
    }
    await db.insertInto('complaints').values(values).execute();
    const { response, records } = await fetchCsv(tokens.admin, `q=${bulkWord}`);
    expect(response.status).toBe(200);
    expect(records).toHaveLength(count);
    expect(new Set(records.map((r) => r.ticket_code)).size).toBe(count);
    expect(records[0].reporter_name).toBe('A***');
  });
});
