import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toE164 } from '../../api/open311/create';
import { assertPublicHost, isPrivateAddress } from '../../api/open311/media';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as mediaRepo from '../../db/repositories/media';
import * as opdRepo from '../../db/repositories/opd';
import type { Category, ComplaintStatus } from '../../domain/report';
import { submitReport } from '../../services/complaint-intake';
import { acceptUpdate, complaintViewQuery } from '../../workflows/complaint';
import { issueToken } from '../support/api';
import { startTestStack, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PUBLIC_BASE_URL, type TestStack } from '../support/runtime';
import { newCitizenNumber, SAMPLE_JPEG, waitFor } from '../support/whatsapp';

// Open311 GeoReport v2 at /open311/v2, against the whole service: real PostgreSQL, the Temporal
// dev server and the fake Twilio (which also serves the evidence behind media_url).

const BASE = '/open311/v2';
const SPEC_REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
].sort();

let stack: TestStack;
let key: string;

beforeAll(async () => {
  stack = await startTestStack();
  key = await issueToken(stack, 'open311');
});

afterAll(async () => {
  await stack?.stop();
});

interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

async function get<T = any>(s: TestStack, path: string): Promise<Answer<T>> {
  const res = await fetch(`${s.runtime.url}${BASE}${path}`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

async function postForm<T = any>(s: TestStack, fields: Record<string, string>, path = '/requests.json'): Promise<Answer<T>> {
  const res = await fetch(`${s.runtime.url}${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** A media URL anyone can fetch without credentials: the fake Twilio's storage behind the redirect. */
async function publicMediaUrl(s: TestStack, data: Buffer | string = SAMPLE_JPEG, contentType = 'image/jpeg'): Promise<string> {
  const twilioUrl = s.twilio.addMedia(`ME${randomUUID().replace(/-/g, '')}`, data, contentType);
  const basic = Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64');
  const res = await fetch(twilioUrl, { headers: { authorization: `Basic ${basic}` }, redirect: 'manual' });
  return res.headers.get('location')!;
}

/** A citizen: their WhatsApp address, and the local way they would type the number. */
function newCitizen() {
  const whatsapp = newCitizenNumber(); // whatsapp:+628…
  return { whatsapp, local: `0${whatsapp.slice('whatsapp:+62'.length)}` };
}

const NIK = '3513024107920003';
const NAME = 'Rahmawati Kusumaningtyas';
const ALAMAT = 'Dusun Krajan RT 03 RW 01, Desa Asembakor, Kec. Kraksaan';

function requestFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: key,
    service_code: 'infrastruktur',
    description: `Jalan berlubang di depan pasar, ${randomUUID()}`,
    lat: '-7.7589',
    long: '113.4113',
    address_string: 'Jalan Raya Kraksaan depan Pasar Semampir, Kec. Kraksaan',
    'attribute[nik]': NIK,
    'attribute[nama]': NAME,
    'attribute[alamat]': ALAMAT,
    'attribute[jenis]': 'aduan',
    phone: newCitizen().local,
    // Spec fields we do not use: accepted and ignored.
    email: 'warga@example.org',
    first_name: 'Rahma',
    device_id: 'device-1',
    ...overrides,
  };
}

async function officialNumber(opdCode: string, level: number): Promise<string> {
  const unit = (await opdRepo.findUnitByCode(stack.runtime.db, opdCode))!;
  const [official] = await opdRepo.findActiveOfficials(stack.runtime.db, unit.id, level);
  return `whatsapp:${stack.runtime.crypto.decrypt(official.phone_enc)}`;
}

const messagesTo = (to: string) => stack.twilio.sent.filter((m) => m.To === to);

function expectSpecError(answer: Answer, status: number, description?: RegExp) {
  expect(answer.status).toBe(status);
  expect(Array.isArray(answer.body)).toBe(true);
  expect(answer.body.length).toBeGreaterThan(0);
  for (const error of answer.body) {
    expect(Object.keys(error).sort()).toEqual(['code', 'description']);
    expect(error.code).toBe(status);
  }
  if (description) expect(answer.body.map((e: { description: string }) => e.description).join(' | ')).toMatch(description);
}

describe('discovery and services', () => {
  it('describes the endpoint in discovery.json', async () => {
    const answer = await get(stack, '/discovery.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body).toMatchObject({ changeset: expect.any(String), contact: expect.any(String), key_service: expect.any(String) });
    expect(answer.body.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${TEST_PUBLIC_BASE_URL}/open311/v2`,
        changeset: answer.body.changeset,
        type: 'production',
        formats: ['application/json'],
      },
    ]);
  });

  it('lists one service per category with the spec’s fields', async () => {
    const answer = await get(stack, '/services.json');
    expect(answer.status).toBe(200);
    expect(answer.body.map((s: { service_code: string }) => s.service_code)).toEqual(['pendidikan', 'kesehatan', 'infrastruktur', 'layanan_publik', 'lainnya']);
    for (const service of answer.body) {
      expect(Object.keys(service).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
      expect(service).toMatchObject({ metadata: true, type: 'realtime' });
      expect(typeof service.keywords).toBe('string');
    }
    expect(answer.body.find((s: { service_code: string }) => s.service_code === 'infrastruktur').service_name).toBe('Infrastruktur');

    expect((await get(stack, '/services.json?jurisdiction_id=probolinggokab.go.id')).status).toBe(200);
    expectSpecError(await get(stack, '/services.json?jurisdiction_id=kotaprobolinggo.go.id'), 404, /jurisdiction_id/);
  });

  it('defines the attributes of a service', async () => {
    const answer = await get(stack, '/services/kesehatan.json');
    expect(answer.status).toBe(200);
    expect(answer.body.service_code).toBe('kesehatan');
    const attributes = answer.body.attributes as Array<Record<string, unknown>>;
    expect(attributes.map((a) => a.code)).toEqual(['nik', 'nama', 'alamat', 'jenis']);
    for (const attribute of attributes) {
      expect(attribute).toMatchObject({
        variable: true,
        datatype: expect.stringMatching(/^(string|number|datetime|text|singlevaluelist|multivaluelist)$/),
        required: expect.any(Boolean),
        datatype_description: expect.any(String),
        order: expect.any(Number),
        description: expect.any(String),
      });
    }
    expect(attributes.filter((a) => a.required).map((a) => a.code)).toEqual(['nik', 'nama', 'alamat']);
    const jenis = attributes.find((a) => a.code === 'jenis')!;
    expect(jenis).toMatchObject({ datatype: 'singlevaluelist', required: false });
    expect((jenis.values as Array<{ key: string; name: string }>).map((v) => v.key)).toEqual(['aduan', 'usul', 'saran', 'nasihat']);

    expectSpecError(await get(stack, '/services/parkir.json'), 404, /service_code/);
  });

  it('speaks JSON only', async () => {
    expectSpecError(await get(stack, '/services.xml'), 400, /json/);
    expectSpecError(await get(stack, '/requests.xml'), 400, /json/);
    expectSpecError(await get(stack, '/services.csv'), 404);
    expectSpecError(await get(stack, '/nothing-here'), 404);
  });
});

describe('POST requests.json', () => {
  it('creates a complaint through the WhatsApp path: encrypted, with evidence, routed, followed up on WhatsApp', async () => {
    const citizen = newCitizen();
    const mediaUrl = await publicMediaUrl(stack);
    const fields = requestFields({ phone: citizen.local, media_url: mediaUrl });
    const answer = await postForm(stack, fields);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual([{ service_request_id: expect.stringMatching(/^LK-\d{4}-\d{6}$/), service_notice: expect.any(String) }]);
    const ticketCode: string = answer.body[0].service_request_id;

    const db = stack.runtime.db;
    const complaint = (await complaintsRepo.findByTicketCode(db, ticketCode))!;
    expect(complaint).toMatchObject({
      kind: 'aduan',
      category: 'infrastruktur',
      category_inferred: false,
      description: fields.description,
      location_text: fields.address_string,
      kecamatan: 'Kraksaan',
      latitude: -7.7589,
      longitude: 113.4113,
      outside_regency: false,
    });
    // Personal data rests encrypted; the reporter is their WhatsApp number in E.164.
    for (const column of [complaint.nik_enc, complaint.reporter_name_enc, complaint.reporter_address_enc]) {
      expect(column).not.toContain(NIK);
      expect(column).not.toContain('Rahmawati');
    }
    expect(stack.runtime.crypto.decrypt(complaint.nik_enc)).toBe(NIK);
    expect(complaint.nik_hash).toBe(stack.runtime.crypto.lookupHash('nik', NIK));
    expect(stack.runtime.crypto.decrypt(complaint.reporter_name_enc)).toBe(NAME);
    expect(stack.runtime.crypto.decrypt(complaint.reporter_address_enc)).toBe(ALAMAT);
    expect(stack.runtime.crypto.decrypt((await complaintsRepo.findReporterPhoneEnc(db, complaint.reporter_id))!)).toBe(citizen.whatsapp.replace('whatsapp:', ''));

    // The evidence was downloaded (without credentials) and stored like WhatsApp evidence.
    const media = await mediaRepo.listForComplaint(db, complaint.id);
    expect(media).toHaveLength(1);
    expect(media[0]).toMatchObject({ inbound_message_id: null, content_type: 'image/jpeg', size_bytes: SAMPLE_JPEG.length });
    expect(media[0].storage_key).toMatch(/^evidence\/\d{4}\/\d{2}\//);
    expect((await stack.runtime.apiDeps!.storage.get(media[0].storage_key))!.data.equals(SAMPLE_JPEG)).toBe(true);
    const storagePath = new URL(mediaUrl).pathname;
    expect(stack.twilio.mediaRequests.filter((r) => r.path === storagePath)).toEqual([{ server: 'storage', path: storagePath, hadAuthorization: false }]);

    const [received] = await complaintsRepo.listEvents(db, complaint.id);
    expect(received).toMatchObject({ type: 'received', actor: 'citizen', data: { channel: 'open311', evidence: 1, kind: 'aduan' } });

    // The complaint workflow runs under the ticket code and routes it; the OPD's official hears of it.
    const handle = stack.runtime.client!.workflow.getHandle(ticketCode);
    await waitFor(async () => (await handle.query(complaintViewQuery).catch(() => undefined))?.status === 'routed', 30_000, 'routing');
    expect(await handle.query(complaintViewQuery)).toMatchObject({ ticketCode, status: 'routed', opdCode: 'DPUPR', level: 1 });
    const dpupr = await officialNumber('DPUPR', 1);
    const notice = await waitFor(() => messagesTo(dpupr).find((m) => m.Body?.includes(ticketCode)), 30_000, 'official notice');
    expect(notice.Body).not.toContain(NIK);
    expect(notice.Body).not.toContain(NAME);

    // Written to the audit log, without the personal data.
    const entries = await db.selectFrom('audit_log').selectAll().where('resource_id', '=', ticketCode).execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'open311.create', resource_type: 'complaint', role: 'open311', actor: expect.stringMatching(/^token:\d+$/) });
    expect(JSON.stringify(entries[0])).not.toContain(NIK);
    expect(JSON.stringify(entries[0])).not.toContain('Rahmawati');

    // The same POST again (a client retrying) finds the same complaint and stores nothing twice.
    const again = await postForm(stack, fields);
    expect(again.status).toBe(201);
    expect(again.body[0].service_request_id).toBe(ticketCode);
    const sameDescription = await db.selectFrom('complaints').select('id').where('description', '=', fields.description).execute();
    expect(sameDescription).toHaveLength(1);
    expect(await mediaRepo.listForComplaint(db, complaint.id)).toHaveLength(1);
    expect(await db.selectFrom('audit_log').select('id').where('resource_id', '=', ticketCode).execute()).toHaveLength(1);

    // The OPD accepts (as TERIMA on WhatsApp would; the officials' own desk workflows are exercised
    // in officials.test.ts, whose stack owns them); the citizen hears of it on their WhatsApp number.
    const unit = (await opdRepo.findUnitByCode(db, 'DPUPR'))!;
    const [petugas] = await opdRepo.findActiveOfficials(db, unit.id, 1);
    await handle.executeUpdate(acceptUpdate, { args: [{ actor: { kind: 'official', officialId: petugas.id, opdUnitId: unit.id, level: 1 }, difficulty: 'ringan' }] });
    const told = await waitFor(() => messagesTo(citizen.whatsapp).find((m) => m.Body?.includes(`Laporan ${ticketCode} diterima OPD`)), 30_000, 'citizen update');
    // Before that, the same receipt as on WhatsApp, once although the POST came twice.
    const receipts = messagesTo(citizen.whatsapp).filter((m) => m.Body?.includes(`Kode laporan: *${ticketCode}*`));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].Body).toContain(NAME);
    expect(told.Body).not.toContain(NIK);

    // Its public view: open, with the OPD and the target, and no personal data.
    await waitFor(async () => (await complaintsRepo.findByTicketCode(db, ticketCode))!.status === 'accepted', 30_000, 'acceptance stored');
    const view = await get(stack, `/requests/${ticketCode}.json`);
    expect(view.status).toBe(200);
    expect(view.body).toHaveLength(1);
    expect(Object.keys(view.body[0]).sort()).toEqual(SPEC_REQUEST_FIELDS);
    expect(view.body[0]).toMatchObject({
      service_request_id: ticketCode,
      status: 'open',
      status_notes: 'Sedang ditangani Dinas Pekerjaan Umum dan Penataan Ruang.',
      service_name: 'Infrastruktur',
      service_code: 'infrastruktur',
      description: fields.description,
      agency_responsible: 'Dinas Pekerjaan Umum dan Penataan Ruang',
      service_notice: expect.stringContaining('ringan'),
      expected_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      address: fields.address_string,
      lat: -7.7589,
      long: 113.4113,
    });
    expect(new Date(view.body[0].requested_datetime).getTime()).toBe(complaint.submitted_at.getTime());
    const text = JSON.stringify(view.body);
    for (const personal of [NIK, NAME, 'Rahmawati', ALAMAT, 'Asembakor', citizen.local, citizen.whatsapp.slice('whatsapp:'.length)]) {
      expect(text).not.toContain(personal);
    }
  });

  it('accepts JSON with nested attributes, and a usul without evidence', async () => {
    const citizen = newCitizen();
    const { 'attribute[nik]': nik, 'attribute[nama]': nama, 'attribute[alamat]': alamat, ...rest } = requestFields({ phone: `+62 ${citizen.local.slice(1)}` });
    const res = await fetch(`${stack.runtime.url}${BASE}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...rest, service_code: 'pendidikan', lat: undefined, long: undefined, attribute: { nik, nama, alamat, jenis: 'usul' } }),
    });
    expect(res.status).toBe(201);
    const [{ service_request_id: ticketCode }] = (await res.json()) as Array<{ service_request_id: string }>;
    const complaint = (await complaintsRepo.findByTicketCode(stack.runtime.db, ticketCode))!;
    expect(complaint).toMatchObject({ kind: 'usul', category: 'pendidikan', latitude: null, kecamatan: 'Kraksaan' });
    expect(stack.runtime.crypto.decrypt((await complaintsRepo.findReporterPhoneEnc(stack.runtime.db, complaint.reporter_id))!)).toBe(citizen.whatsapp.slice('whatsapp:'.length));
    expect(await mediaRepo.listForComplaint(stack.runtime.db, complaint.id)).toHaveLength(0);
  });

  it('gives the same POST sent twice at once one complaint', async () => {
    const fields = requestFields({ 'attribute[jenis]': 'saran', media_url: await publicMediaUrl(stack) });
    const answers = await Promise.all([postForm(stack, fields), postForm(stack, fields), postForm(stack, fields)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body[0].service_request_id)).size).toBe(1);
    const rows = await stack.runtime.db.selectFrom('complaints').select('id').where('description', '=', fields.description).execute();
    expect(rows).toHaveLength(1);
    expect(await mediaRepo.listForComplaint(stack.runtime.db, rows[0].id)).toHaveLength(1);
  });

  it('refuses a missing, unknown or wrong-role api_key with 403; an admin key may create', async () => {
    const description = `Tidak boleh tersimpan ${randomUUID()}`;
    const operator = await issueToken(stack, 'operator');
    for (const apiKey of [undefined, 'not-a-key', `lk4_${'x'.repeat(43)}`, operator]) {
      const fields = requestFields({ description, media_url: 'https://media.example/foto.jpg' });
      if (apiKey === undefined) delete fields.api_key;
      else fields.api_key = apiKey;
      expectSpecError(await postForm(stack, fields), 403, /api_key/);
    }
    expect(await stack.runtime.db.selectFrom('complaints').select('id').where('description', '=', description).execute()).toHaveLength(0);

    const admin = await issueToken(stack, 'admin');
    const answer = await postForm(stack, requestFields({ api_key: admin, 'attribute[jenis]': 'saran' }));
    expect(answer.status).toBe(201);
  });

  it('answers 400 with every problem named, and no personal data in the errors', async () => {
    const missing = await postForm(stack, { api_key: key, service_code: 'infrastruktur' });
    expectSpecError(missing, 400);
    const descriptions = missing.body.map((e: { description: string }) => e.description).join('\n');
    for (const field of ['description', 'attribute[nik]', 'attribute[nama]', 'attribute[alamat]', 'phone', 'location', 'media_url']) {
      expect(descriptions).toContain(field === 'location' ? 'A location is required' : field);
    }

    const badNik = '3513024107920000'; // serial 0000 is never issued
    const invalid = await postForm(
      stack,
      requestFields({
        'attribute[nik]': badNik,
        'attribute[jenis]': 'keluhan',
        service_code: 'parkir',
        phone: 'bukan nomor',
        lat: '-7.75',
        long: '',
        address_string: '',
        media_url: 'https://media.example/foto.jpg',
      }),
    );
    expectSpecError(invalid, 400, /attribute\[nik\] has an invalid serial number/);
    const text = JSON.stringify(invalid.body);
    expect(text).toMatch(/service_code not found/);
    expect(text).toMatch(/attribute\[jenis\] must be one of/);
    expect(text).toMatch(/phone must be a WhatsApp number/);
    expect(text).toMatch(/lat and long must be given together/);
    expect(text).not.toContain(badNik);
    expect(text).not.toContain('bukan nomor');

    expectSpecError(await postForm(stack, requestFields({ jurisdiction_id: 'jakarta.go.id', media_url: 'https://media.example/x.jpg' })), 404, /jurisdiction_id/);
  });

  it('refuses media that is not evidence or cannot be fetched, without storing a complaint', async () => {
    const description = `Bukti bermasalah ${randomUUID()}`;
    const pdf = await publicMediaUrl(stack, '%PDF-1.7', 'application/pdf');
    expectSpecError(await postForm(stack, requestFields({ description, media_url: pdf })), 400, /photo or a video/);
    // Twilio's own media URL needs Twilio's credentials, which an Open311 download never sends.
    const twilioUrl = stack.twilio.addMedia(`ME${randomUUID().replace(/-/g, '')}`, SAMPLE_JPEG, 'image/jpeg');
    expectSpecError(await postForm(stack, requestFields({ description, media_url: twilioUrl })), 400, /could not be fetched/);
    expectSpecError(await postForm(stack, requestFields({ description, media_url: 'file:///etc/passwd' })), 400, /http or https/);
    expect(await stack.runtime.db.selectFrom('complaints').select('id').where('description', '=', description).execute()).toHaveLength(0);
  });
});

describe('GET requests.json', () => {
  // Complaints of 2003 through the same intake service, with the clock set back: no other test
  // submits in that year, and the answers are checked only for these ticket codes.
  const rows: Record<string, { ticketCode: string; name: string; nik: string }> = {};

  async function seed(label: string, at: string, category: Category, status: ComplaintStatus, changes: Record<string, unknown> = {}) {
    const nik = `351302410791${1000 + Object.keys(rows).length}`;
    const name = `Warga Lama ${label} ${randomUUID().slice(0, 6)}`;
    const { ticketCode, complaintId } = await submitReport(
      { db: stack.runtime.db, crypto: stack.runtime.crypto, clock: () => new Date(at), logger: pino({ level: 'silent' }) },
      {
        submissionKey: `test:${randomUUID()}`,
        from: newCitizenNumber(),
        channel: 'open311',
        draft: { name, address: `Alamat rahasia ${label}`, nik, kind: 'aduan', category, description: `Laporan lama ${label}`, evidence: [] },
      },
    );
    await complaintsRepo.updateComplaint(stack.runtime.db, complaintId, { status, ...changes });
    rows[label] = { ticketCode, name, nik };
  }

  beforeAll(async () => {
    await seed('A', '2003-03-01T00:00:00Z', 'infrastruktur', 'routed');
    await seed('B', '2003-03-20T00:00:00Z', 'kesehatan', 'tuntas');
    await seed('C', '2003-05-15T00:00:00Z', 'infrastruktur', 'rejected', { rejection_reason: 'Bukan kewenangan pemerintah kabupaten' });
    await seed('D', '2003-09-01T00:00:00Z', 'infrastruktur', 'in_progress');
  });

  const ours = (body: Array<{ service_request_id: string }>) => {
    const mine = new Map(Object.entries(rows).map(([label, r]) => [r.ticketCode, label]));
    return body.map((r) => mine.get(r.service_request_id)).filter(Boolean);
  };

  it('filters by dates, service_code and status, newest first', async () => {
    const window = 'start_date=2003-03-01T00:00:00%2B07:00&end_date=2003-05-29T00:00:00%2B07:00';
    const all = await get(stack, `/requests.json?${window}`);
    expect(all.status).toBe(200);
    expect(ours(all.body)).toEqual(['C', 'B', 'A']);
    for (const request of all.body) expect(Object.keys(request).sort()).toEqual(SPEC_REQUEST_FIELDS);

    expect(ours((await get(stack, `/requests.json?${window}&service_code=infrastruktur`)).body)).toEqual(['C', 'A']);
    expect(ours((await get(stack, `/requests.json?${window}&service_code=kesehatan,infrastruktur`)).body)).toEqual(['C', 'B', 'A']);
    expect(ours((await get(stack, `/requests.json?${window}&status=closed`)).body)).toEqual(['C', 'B']);
    expect(ours((await get(stack, `/requests.json?${window}&status=open`)).body)).toEqual(['A']);
    expect(ours((await get(stack, `/requests.json?${window}&status=open,closed`)).body)).toEqual(['C', 'B', 'A']);
    // Only a start: the 90 days from it.
    expect(ours((await get(stack, '/requests.json?start_date=2003-03-10T00:00:00Z')).body)).toEqual(['C', 'B']);
    // No range: the last 90 days, where none of these are.
    expect(ours((await get(stack, '/requests.json')).body)).toEqual([]);

    const c = all.body.find((r: { service_request_id: string }) => r.service_request_id === rows.C.ticketCode);
    expect(c).toMatchObject({ status: 'closed', status_notes: 'Ditolak: Bukan kewenangan pemerintah kabupaten', service_name: 'Infrastruktur', requested_datetime: '2003-05-15T00:00:00.000Z' });
    const a = all.body.find((r: { service_request_id: string }) => r.service_request_id === rows.A.ticketCode);
    expect(a).toMatchObject({ status: 'open', expected_datetime: null, address: null, lat: null, long: null });
  });

  it('finds requests by id, overriding the other filters', async () => {
    const answer = await get(stack, `/requests.json?service_request_id=${rows.A.ticketCode},${rows.D.ticketCode}&status=closed&start_date=2020-01-01T00:00:00Z`);
    expect(answer.status).toBe(200);
    expect(ours(answer.body)).toEqual(['D', 'A']);
    expect(answer.body).toHaveLength(2);

    const one = await get(stack, `/requests/${rows.B.ticketCode}.json`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject([{ service_request_id: rows.B.ticketCode, status: 'closed', status_notes: 'Laporan sudah tuntas.', service_code: 'kesehatan' }]);
  });

  it('carries no personal data', async () => {
    const text = JSON.stringify((await get(stack, '/requests.json?start_date=2003-03-01T00:00:00Z&end_date=2003-05-30T00:00:00Z')).body);
    expect(text).toContain(rows.A.ticketCode);
    for (const row of Object.values(rows)) {
      expect(text).not.toContain(row.name);
      expect(text).not.toContain(row.nik);
    }
    expect(text).not.toContain('Alamat rahasia');
  });

  it('answers 404 for an unknown id and 400 for invalid filters', async () => {
    expectSpecError(await get(stack, '/requests/LK-1999-999999.json'), 404, /not found/);
    expectSpecError(await get(stack, '/requests/bukan-kode.json'), 404);
    expectSpecError(await get(stack, '/requests.json?start_date=2003-01-01T00:00:00Z&end_date=2003-06-01T00:00:00Z'), 400, /90 days/);
    expectSpecError(await get(stack, '/requests.json?start_date=kemarin'), 400, /start_date/);
    expectSpecError(await get(stack, '/requests.json?end_date=2003-01-01T00:00:00Z&start_date=2003-02-01T00:00:00Z'), 400, /after/);
    expectSpecError(await get(stack, '/requests.json?status=pending'), 400, /status/);
    expectSpecError(await get(stack, '/requests.json?service_code=parkir'), 400, /service_code/);
    expectSpecError(await get(stack, '/requests.json?service_request_id=123'), 400, /service_request_id/);
  });
});

describe('hardening', () => {
  let strict: TestStack;

  beforeAll(async () => {
    strict = await startTestStack({ OPEN311_MEDIA_ALLOW_PRIVATE_HOSTS: 'false', API_AUTH_FAILURE_LIMIT: '3' });
  });

  afterAll(async () => {
    await strict?.stop();
  });

  it('refuses media_url on private, loopback and link-local hosts', async () => {
    const strictKey = await issueToken(strict, 'open311');
    const description = `Bukti dari jaringan dalam ${randomUUID()}`;
    const local = await publicMediaUrl(strict);
    for (const mediaUrl of [local, 'http://localhost:8080/foto.jpg', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/foto.jpg', 'http://10.1.2.3/foto.jpg']) {
      expectSpecError(await postForm(strict, requestFields({ api_key: strictKey, description, media_url: mediaUrl })), 400, /public host/);
    }
    expect(strict.twilio.mediaRequests.filter((r) => r.path === new URL(local).pathname)).toHaveLength(0);
    expect(await strict.runtime.db.selectFrom('complaints').select('id').where('description', '=', description).execute()).toHaveLength(0);
  });

  it('checks every address a host resolves to', async () => {
    for (const address of ['127.0.0.1', '10.0.0.8', '172.20.1.1', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['103.10.20.30', '8.8.8.8', '2001:4860:4860::8888']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
    await expect(assertPublicHost(new URL('https://media.example/a.jpg'), async () => ['103.10.20.30'])).resolves.toBeUndefined();
    await expect(assertPublicHost(new URL('https://media.example/a.jpg'), async () => ['103.10.20.30', '10.0.0.5'])).rejects.toThrow(/public/);
    await expect(assertPublicHost(new URL('https://media.example/a.jpg'), async () => [])).rejects.toThrow(/public/);
  });

  it('normalises phone numbers to E.164', () => {
    expect(toE164('0812-3456-7890')).toBe('+6281234567890');
    expect(toE164('62 812 3456 7890')).toBe('+6281234567890');
    expect(toE164('whatsapp:+6281234567890')).toBe('+6281234567890');
    expect(toE164('+31 6 12345678')).toBe('+31612345678');
    expect(toE164('12345')).toBeUndefined();
    expect(toE164('nomor saya')).toBeUndefined();
  });

  it('limits POSTs with invalid api_keys; reading stays open', async () => {
    const fields = requestFields({ api_key: 'lk4_guess', media_url: 'https://media.example/foto.jpg' });
    for (let i = 0; i < 3; i++) expectSpecError(await postForm(strict, fields), 403);
    expectSpecError(await postForm(strict, fields), 429, /Too many/);
    expect((await get(strict, '/services.json')).status).toBe(200);
  });

  it('limits the body size', async () => {
    const big = requestFields({ description: 'x'.repeat(150_000) });
    const res = await fetch(`${stack.runtime.url}${BASE}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(big),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual([{ code: 413, description: 'The request body is too large.' }]);
  });
});
