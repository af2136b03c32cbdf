import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComplaintActivities } from '../../activities/complaint-activities';
import { createMessenger } from '../../activities/messaging';
import { createTwilioSender } from '../../activities/twilio/whatsapp-sender';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as opdRepo from '../../db/repositories/opd';
import { formatDateOnlyWib } from '../../domain/lifecycle-messages';
import { DEFAULT_POLICY, targetDate, type Difficulty } from '../../domain/policy';
import { CLOSED_COMPLAINT_DETAIL } from '../../services/complaint-actions';
import { acceptUpdate, complaintViewQuery, type ComplaintView } from '../../workflows/complaint';
import { callApi, issueToken } from '../support/api';
import { copyComplaint, submitRoutedComplaint } from '../support/complaints';
import { startTestStack, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type TestStack } from '../support/runtime';
import { newCitizenNumber, postSigned, waitFor, whatsappForm } from '../support/whatsapp';

// POST /api/v1/complaints/{code}/actions against the whole service: real PostgreSQL, the Temporal
// dev server running the complaint workflows, the fake Twilio server. Complaints come in the real
// way, over the signed WhatsApp webhook.

let stack: TestStack;
let admin: string;
let operator: string;

beforeAll(async () => {
  stack = await startTestStack();
  admin = await issueToken(stack, 'admin');
  operator = await issueToken(stack, 'operator');
});

afterAll(async () => {
  await stack?.stop();
});

const messagesTo = (to: string) => stack.twilio.sent.filter((m) => m.To === to);

const submitComplaint = (citizen: string) => submitRoutedComplaint(stack, citizen);

const workflow = (ticketCode: string) => stack.runtime.client!.workflow.getHandle(ticketCode);
const act = (token: string, ticketCode: string, body: unknown, headers: Record<string, string> = {}) =>
  callApi<ComplaintView & { detail?: string; status: number | string }>(stack, token, `/api/v1/complaints/${ticketCode}/actions`, { body, headers });
const row = async (ticketCode: string) => (await complaintsRepo.findByTicketCode(stack.runtime.db, ticketCode))!;
const events = async (ticketCode: string) => complaintsRepo.listEvents(stack.runtime.db, (await row(ticketCode)).id);
const unit = async (code: string) => (await opdRepo.findUnitByCode(stack.runtime.db, code))!;

/** The responsible official of DPUPR accepts, as TERIMA would. */
async function accept(ticketCode: string, difficulty: Difficulty) {
  const [official] = await opdRepo.findActiveOfficials(stack.runtime.db, (await unit('DPUPR')).id, 1);
  return workflow(ticketCode).executeUpdate(acceptUpdate, {
    args: [{ actor: { kind: 'official', officialId: official.id, opdUnitId: official.opd_unit_id, level: official.level }, difficulty }],
  });
}

async function auditRows(ticketCode: string) {
  return stack.runtime.db
    .selectFrom('audit_log')
    .selectAll()
    .where('resource_type', '=', 'complaint')
    .where('resource_id', '=', ticketCode)
    .orderBy('id')
    .execute();
}

/** The officials_notified events of a complaint: which level heard of it, and how many. */
async function notifiedLevels(ticketCode: string) {
  return (await events(ticketCode)).filter((e) => e.type === 'officials_notified').map((e) => e.data as { level: number; kind: string; notified: number });
}

describe('who may act, on what, with what', () => {
  it('checks the role, the OPD scope, the code and the body before anything reaches the workflow', async () => {
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);
    const viewer = await issueToken(stack, 'viewer');
    const dinkes = await issueToken(stack, 'opd', 'DINKES');
    const dpupr = await issueToken(stack, 'opd', 'DPUPR');

    expect((await act(viewer, ticketCode, { type: 'note', text: 'x' })).status).toBe(403);

    const otherOpd = await act(dinkes, ticketCode, { type: 'note', text: 'Dicek.' });
    expect(otherOpd.status).toBe(403);
    expect(otherOpd.headers.get('content-type')).toContain('application/problem+json');
    expect(otherOpd.body.detail).toMatch(/another OPD/);

    const unknown = await act(admin, 'LK-2099-999999', { type: 'note', text: 'Dicek.' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('No complaint has this ticket code.');
    expect((await act(admin, 'LK-2026-12', { type: 'note', text: 'Dicek.' })).status).toBe(400);

    for (const body of [
      {},
      { type: 'fly' },
      { type: 'note', text: '   ' },
      { type: 'message', text: 'x'.repeat(2001) },
      { type: 'set_difficulty', difficulty: 'mudah' },
      { type: 'reject' },
      { type: 'reroute', opd: '' },
    ]) {
      const answer = await act(admin, ticketCode, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toMatchObject({ status: 400, title: 'Validation failed' });
    }
    const noSuchOpd = await act(operator, ticketCode, { type: 'reroute', opd: 'NOPE' });
    expect(noSuchOpd.status).toBe(400);
    expect(noSuchOpd.body.detail).toBe('There is no active OPD with the code NOPE.');
    const longKey = await act(admin, ticketCode, { type: 'note', text: 'Dicek.' }, { 'idempotency-key': 'k'.repeat(101) });
    expect(longKey.status).toBe(400);

    // Nothing of that reached the complaint; its own OPD may act on it.
    expect((await events(ticketCode)).filter((e) => e.type === 'note_added')).toHaveLength(0);
    const own = await act(dpupr, ticketCode, { type: 'note', text: 'Dicek oleh DPUPR.' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ ticketCode, status: 'routed', opdCode: 'DPUPR', level: 1 });

    // The scope refusal and the action are audited; no text of the note is.
    const audits = await auditRows(ticketCode);
    expect(audits.map((a) => [a.action, a.role, a.details.outcome])).toEqual([
      ['complaint.note', 'opd', 'refused'],
      ['complaint.note', 'opd', 'done'],
    ]);
    expect(audits[0].details).toMatchObject({ refusal: 'scope' });
    expect(JSON.stringify(audits)).not.toContain('Dicek');
  });
});

describe('each action reaches the workflow', () => {
  it('set_difficulty: refused before acceptance; afterwards the target moves, counted from acceptance', async () => {
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);

    const early = await act(admin, ticketCode, { type: 'set_difficulty', difficulty: 'berat' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ status: 409, title: 'Action refused', detail: 'Laporan ini belum diterima OPD.' });

    await accept(ticketCode, 'sedang');
    const before = stack.twilio.sent.length;
    const answer = await act(operator, ticketCode, { type: 'set_difficulty', difficulty: 'berat' });
    expect(answer.status).toBe(200);
    const complaint = await row(ticketCode);
    const target = targetDate(complaint.accepted_at!, 'berat', DEFAULT_POLICY);
    expect(answer.body).toMatchObject({ ticketCode, status: 'accepted', difficulty: 'berat', targetAt: target.toISOString() });
    expect(await workflow(ticketCode).query(complaintViewQuery)).toEqual(answer.body);
    expect(complaint).toMatchObject({ difficulty: 'berat', status: 'accepted' });
    expect(complaint.target_at!.toISOString()).toBe(target.toISOString());
    expect((await events(ticketCode)).find((e) => e.type === 'difficulty_changed')).toMatchObject({
      actor: expect.stringMatching(/^admin:token:\d+$/),
      data: { from: 'sedang', to: 'berat', targetAt: target.toISOString() },
    });

    const told = messagesTo(citizen).at(-1)!;
    expect(told.Body).toContain(`Target penyelesaian baru: ${formatDateOnlyWib(target)}`);
    const toOfficials = stack.twilio.sent.slice(before).filter((m) => m.To !== citizen);
    expect(toOfficials.some((m) => m.Body?.includes('Berat') && m.Body.includes(ticketCode))).toBe(true);

    const same = await act(admin, ticketCode, { type: 'set_difficulty', difficulty: 'berat' });
    expect(same.status).toBe(409);
    expect(same.body.detail).toBe('Tingkat kesulitan laporan ini sudah Berat.');
    expect((await auditRows(ticketCode)).map((a) => [a.details.outcome, a.details.difficulty])).toEqual([
      ['refused', 'berat'],
      ['done', 'berat'],
      ['refused', 'berat'],
    ]);
  });

  it('escalate: one level up now, the officials of that level told why, never overdue; refused at the top', async () => {
    const ticketCode = await submitComplaint(newCitizenNumber());
    const before = stack.twilio.sent.length;
    const first = await act(admin, ticketCode, { type: 'escalate', reason: 'Jalan rawan kecelakaan, mohon segera.' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'routed', level: 2, nextDeadline: { kind: 'accept_reminder' } });
    expect(await row(ticketCode)).toMatchObject({ escalation_level: 2, overdue_since: null });
    expect((await events(ticketCode)).find((e) => e.type === 'escalated')).toMatchObject({
      data: { what: 'admin', from: 1, to: 2, reason: 'Jalan rawan kecelakaan, mohon segera.' },
    });
    const notice = stack.twilio.sent.slice(before).find((m) => m.Body?.includes('Admin LAPOR KAND4 mengeskalasi'))!;
    expect(notice.Body).toContain('ESKALASI TINGKAT 2 — Kepala OPD');
    expect(notice.Body).toContain('Jalan rawan kecelakaan, mohon segera.');
    const escalationNotices = (await notifiedLevels(ticketCode)).filter((n) => n.kind === 'escalation');
    expect(escalationNotices.map((n) => n.level)).toEqual([2]);
    expect(escalationNotices[0].notified).toBeGreaterThan(0);

    expect((await act(admin, ticketCode, { type: 'escalate' })).body.level).toBe(3);
    expect((await act(admin, ticketCode, { type: 'escalate' })).body.level).toBe(4);
    expect((await notifiedLevels(ticketCode)).filter((n) => n.kind === 'escalation').map((n) => n.level)).toEqual([2, 3, 4]);
    const top = await act(admin, ticketCode, { type: 'escalate', reason: 'Lagi' });
    expect(top.status).toBe(409);
    expect(top.body.detail).toBe('Laporan ini sudah berada di tingkat tertinggi (Bupati).');
    expect(await row(ticketCode)).toMatchObject({ escalation_level: 4, overdue_since: null });
  });

  it('note: on the timeline only; message: to the citizen as from the admin, once per Idempotency-Key', async () => {
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);
    const before = stack.twilio.sent.length;
    const note = await act(admin, ticketCode, { type: 'note', text: '  Pelapor sudah ditelepon; menunggu foto baru.  ' });
    expect(note.status).toBe(200);
    expect(note.body.status).toBe('routed');
    expect((await events(ticketCode)).find((e) => e.type === 'note_added')!.data).toEqual({ text: 'Pelapor sudah ditelepon; menunggu foto baru.' });
    expect(stack.twilio.sent.length).toBe(before);

    const text = 'Mohon kirim foto terbaru lokasi jalan yang berlubang.';
    const headers = { 'idempotency-key': `retry-${randomUUID()}` };
    const first = await act(operator, ticketCode, { type: 'message', text }, headers);
    const retried = await act(operator, ticketCode, { type: 'message', text }, headers);
    expect(first.status).toBe(200);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(first.body);
    const sent = messagesTo(citizen).filter((m) => m.Body?.includes(text));
    expect(sent).toHaveLength(1);
    expect(sent[0].Body).toMatch(/^\*Pesan dari Admin LAPOR KAND4 — laporan LK-\d{4}-\d{6}\*/);
    expect((await events(ticketCode)).filter((e) => e.type === 'admin_message').map((e) => e.data)).toEqual([{ chars: text.length }]);
    // The same key from another token is another request.
    const admins = await act(admin, ticketCode, { type: 'message', text }, headers);
    expect(admins.status).toBe(200);
    expect(messagesTo(citizen).filter((m) => m.Body?.includes(text))).toHaveLength(2);

    const audits = await auditRows(ticketCode);
    expect(audits.map((a) => [a.action, a.details.outcome, a.details.idempotent])).toEqual([
      ['complaint.note', 'done', false],
      ['complaint.message', 'done', true],
      ['complaint.message', 'done', true],
      ['complaint.message', 'done', true],
    ]);
    expect(JSON.stringify(audits)).not.toContain('foto');
  });

  it('resolve and reopen, also from tuntas; a tuntas complaint cannot be rejected; reopenings are counted', async () => {
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);
    await accept(ticketCode, 'ringan');

    const resolved = await act(admin, ticketCode, { type: 'resolve', note: 'Lubang sudah ditambal oleh tim DPUPR.' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', nextDeadline: { kind: 'confirm_due' } });
    expect(resolved.body.confirmBy).toBeDefined();
    expect(messagesTo(citizen).at(-1)!.Body).toContain(`YA ${ticketCode}`);
    const firstResolvedAt = (await row(ticketCode)).resolved_at;
    expect(firstResolvedAt).not.toBeNull();

    const before = stack.twilio.sent.length;
    const reopened = await act(operator, ticketCode, { type: 'reopen', reason: 'Verifikasi lapangan: tambalan sudah rusak lagi.' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'in_progress', level: 2, nextDeadline: { kind: 'progress_reminder' } });
    expect(reopened.body.confirmBy).toBeUndefined();
    expect(await row(ticketCode)).toMatchObject({ status: 'in_progress', escalation_level: 2, reopen_count: 1 });
    const toOfficials = stack.twilio.sent.slice(before).find((m) => m.To !== citizen)!;
    expect(toOfficials.Body).toContain('Verifikasi lapangan: tambalan sudah rusak lagi.');
    expect(messagesTo(citizen).at(-1)!.Body).toMatch(/dibuka kembali[\s\S]*Kepala OPD/);

    // Resolved again, and the citizen confirms on WhatsApp: tuntas, in its rating window.
    await act(admin, ticketCode, { type: 'resolve', note: 'Ditambal ulang dengan aspal hotmix.' });
    await postSigned(stack.target, whatsappForm(citizen, `YA ${ticketCode}`));
    await waitFor(async () => (await row(ticketCode)).status === 'tuntas', 30_000, 'tuntas');
    const tuntas = await row(ticketCode);
    expect(tuntas.closed_at).not.toBeNull();
    expect(tuntas.resolved_at!.getTime()).toBeGreaterThan(firstResolvedAt!.getTime());

    const rejected = await act(admin, ticketCode, { type: 'reject', reason: 'Terlambat' });
    expect(rejected.status).toBe(409);
    expect(rejected.body.detail).toBe('Laporan ini sudah tuntas.');

    const again = await act(admin, ticketCode, { type: 'reopen', reason: 'Pelapor menelepon: jalan rusak lagi.' });
    expect(again.body).toMatchObject({ status: 'in_progress', level: 3 });
    expect(await row(ticketCode)).toMatchObject({ status: 'in_progress', escalation_level: 3, reopen_count: 2, closed_at: null });
    expect((await events(ticketCode)).filter((e) => e.type === 'reopened').map((e) => e.data.from)).toEqual(['resolved', 'tuntas']);
    expect((await notifiedLevels(ticketCode)).filter((n) => n.kind === 'escalation').map((n) => n.level)).toEqual([2, 3]);
  });

  it('reroute and reject; a complaint whose workflow has ended can no longer change', async () => {
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);
    const dinkes = await unit('DINKES');

    const rerouted = await act(operator, ticketCode, { type: 'reroute', opd: 'dinkes' });
    expect(rerouted.status).toBe(200);
    expect(rerouted.body).toMatchObject({ status: 'routed', opdCode: 'DINKES', level: 1 });
    expect(await row(ticketCode)).toMatchObject({ status: 'routed', opd_unit_id: dinkes.id });
    expect((await events(ticketCode)).find((e) => e.type === 'rerouted')!.data).toEqual({ opdCode: 'DINKES' });
    expect(messagesTo(citizen).at(-1)!.Body).toContain(dinkes.name);
    const same = await act(operator, ticketCode, { type: 'reroute', opd: 'DINKES' });
    expect(same.status).toBe(409);
    expect(same.body.detail).toBe('Laporan ini sudah berada di OPD tersebut.');
    // It now belongs to DINKES: the DPUPR token may no longer act on it, the DINKES one may.
    expect((await act(await issueToken(stack, 'opd', 'DPUPR'), ticketCode, { type: 'note', text: 'x' })).status).toBe(403);

    const reason = 'Aduan yang sama sudah ditangani pada laporan sebelumnya.';
    const rejected = await act(await issueToken(stack, 'opd', 'DINKES'), ticketCode, { type: 'reject', reason });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect(await row(ticketCode)).toMatchObject({ status: 'rejected', rejection_reason: reason });
    expect((await row(ticketCode)).closed_at).not.toBeNull();
    expect(messagesTo(citizen).at(-1)!.Body).toContain(reason);
    await workflow(ticketCode).result();

    const closed = await act(admin, ticketCode, { type: 'note', text: 'Masih ada?' });
    expect(closed.status).toBe(409);
    expect(closed.body.detail).toBe(CLOSED_COMPLAINT_DETAIL);
    expect((await auditRows(ticketCode)).at(-1)).toMatchObject({ action: 'complaint.note', details: { outcome: 'refused', refusal: 'closed' } });
  });
});

describe('reopen_count and overdue_since, kept by recordTransition', () => {
  it('follows missed deadlines and reopenings, once per idempotency key', async () => {
    const { db, crypto } = stack.runtime;
    const logger = pino({ level: 'silent' });
    const messenger = createMessenger({
      db,
      crypto,
      sender: createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, from: 'whatsapp:+6282131001001', apiBaseUrl: stack.twilio.url }),
      clock: () => new Date(),
      logger,
      templates: {},
    });
    const { recordTransition } = createComplaintActivities({ db, crypto, messenger, logger });

    // A copy of a real complaint without a workflow, so that only these transitions touch it.
    const original = await submitComplaint(newCitizenNumber());
    const ticketCode = original.replace(/^LK-\d{4}/, 'LK-2097');
    const { id: complaintId, opd_unit_id: opdUnitId } = await copyComplaint(db, original, { ticket_code: ticketCode });

    const DAY = 24 * 60 * 60 * 1000;
    const future = new Date(Date.now() + 300 * DAY).toISOString();
    const past = new Date(Date.now() - DAY).toISOString();
    let n = 0;
    const record = (status: 'accepted' | 'in_progress' | 'resolved' | 'tuntas', type: string, data: Record<string, unknown> = {}, targetAt = future, key = `${ticketCode}:${++n}:${type}`) =>
      recordTransition({
        complaintId,
        ticketCode,
        status,
        event: { type, actor: 'system', data },
        changes: { opdUnitId: opdUnitId!, difficulty: 'ringan', policyVersion: 1, acceptedAt: past, targetAt, escalationLevel: 1 },
        idempotencyKey: key,
      });
    const overdue = async () => (await row(ticketCode)).overdue_since?.toISOString() ?? null;
    const due1 = '2026-11-02T02:00:00.000Z';
    const due2 = '2026-11-20T02:00:00.000Z';

    await record('accepted', 'accepted');
    await record('accepted', 'escalated', { what: 'progress', from: 1, to: 2, dueAt: due1 });
    expect(await overdue()).toBe(due1);
    // Still late since the first missed deadline; an admin's escalation makes nothing overdue.
    await record('accepted', 'escalated', { what: 'target', from: 2, to: 3, dueAt: due2 });
    await record('accepted', 'escalated', { what: 'admin', from: 3, to: 4 });
    expect(await overdue()).toBe(due1);
    // A progress report makes up for a missed report, not for a passed target.
    await record('in_progress', 'progress_reported', { note: 'x' }, past);
    expect(await overdue()).toBe(due1);
    await record('in_progress', 'note_added', { text: 'x' });
    expect(await overdue()).toBe(due1);
    await record('in_progress', 'progress_reported', { note: 'x' });
    expect(await overdue()).toBeNull();
    await record('in_progress', 'escalated', { what: 'admin', from: 1, to: 2 });
    expect(await overdue()).toBeNull();

    await record('in_progress', 'escalated', { what: 'progress', from: 1, to: 2, dueAt: due2 });
    expect(await overdue()).toBe(due2);
    await record('resolved', 'resolved', { note: 'x' });
    expect(await overdue()).toBeNull();
    const resolvedAt = (await row(ticketCode)).resolved_at!;
    await record('resolved', 'note_added', { text: 'x' });
    expect((await row(ticketCode)).resolved_at).toEqual(resolvedAt);

    // A dispute counts once, even when its activity is retried with the same key.
    await record('in_progress', 'disputed', { reason: 'x' }, future, `${ticketCode}:dispute`);
    await record('in_progress', 'disputed', { reason: 'x' }, future, `${ticketCode}:dispute`);
    expect((await row(ticketCode)).reopen_count).toBe(1);
    expect((await events(ticketCode)).filter((e) => e.type === 'disputed')).toHaveLength(1);

    await record('in_progress', 'escalated', { what: 'accept', from: 1, to: 2, dueAt: due1 });
    await record('tuntas', 'confirmed');
    expect(await overdue()).toBeNull();
    const closedAt = (await row(ticketCode)).closed_at!;
    expect(closedAt).not.toBeNull();
    await record('tuntas', 'rated', { rating: 4 });
    expect((await row(ticketCode)).closed_at).toEqual(closedAt);
    await record('in_progress', 'reopened', { reason: 'x' });
    expect(await row(ticketCode)).toMatchObject({ reopen_count: 2, closed_at: null, status: 'in_progress' });
  });
});
