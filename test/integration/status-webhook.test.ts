import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as messagesRepo from '../../db/repositories/messages';
import { startTestStack, TEST_ACCOUNT_SID, TEST_PUBLIC_BASE_URL, type TestStack } from '../support/runtime';
import { newCitizenNumber, newMessageSid, postSigned, waitFor, whatsappForm } from '../support/whatsapp';

// Twilio's delivery reports for outgoing messages, through the whole app: signed callbacks at
// /webhooks/twilio/status update the message row and a complaint's timeline.

const STATUS_PATH = '/webhooks/twilio/status';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** Twilio's form for a status callback. */
function statusForm(sid: string, status: string, errorCode?: string): Record<string, string> {
  const form: Record<string, string> = {
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus: status,
    SmsStatus: status,
    AccountSid: TEST_ACCOUNT_SID,
    From: 'whatsapp:+6282131001001',
    To: 'whatsapp:+6281234567890',
    ApiVersion: '2010-04-01',
    ChannelPrefix: 'whatsapp',
  };
  if (errorCode) form.ErrorCode = errorCode;
  return form;
}

async function report(sid: string, status: string, errorCode?: string): Promise<void> {
  const res = await postSigned(stack.target, statusForm(sid, status, errorCode), { path: STATUS_PATH });
  expect(res.status).toBe(204);
}

async function rowOf(sid: string) {
  return (await messagesRepo.findByTwilioSid(stack.runtime.db, sid))!;
}

/** A complaint and one message sent about it, stored as the worker stores them. */
async function complaintMessage(): Promise<{ complaintId: number; messageId: number; sid: string }> {
  const { db, crypto } = stack.runtime;
  const phone = newCitizenNumber().replace('whatsapp:', '');
  const reporterId = await complaintsRepo.upsertReporter(db, crypto.lookupHash('phone', phone), crypto.encrypt(phone));
  const complaint = await complaintsRepo.insertComplaint(db, {
    ticket_code: `LK-2999-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    submission_key: randomUUID(),
    reporter_id: reporterId,
    reporter_name_enc: crypto.encrypt('Siti Aminah'),
    reporter_address_enc: crypto.encrypt('Desa Sumberasih'),
    nik_enc: crypto.encrypt('3513015508900001'),
    nik_hash: crypto.lookupHash('nik', '3513015508900001'),
    outside_regency: false,
    kind: 'aduan',
    category: 'infrastruktur',
    category_inferred: false,
    description: 'Jalan berlubang',
    location_text: null,
    kecamatan: 'Sumberasih',
    latitude: null,
    longitude: null,
    status: 'routed',
    opd_unit_id: null,
    submitted_at: new Date(),
  });
  const message = await messagesRepo.insertOutboundOnce(db, {
    idempotencyKey: randomUUID(),
    phoneHash: crypto.lookupHash('phone', phone),
    phoneEnc: crypto.encrypt(phone),
    contentEnc: crypto.encrypt(JSON.stringify({ body: 'Pengingat' })),
    complaintId: complaint.id,
    templateKind: 'reminder',
    contentSid: `HX${'0'.repeat(32)}`,
  });
  const sid = newMessageSid();
  await messagesRepo.markOutboundSent(db, message.id, sid, 'queued');
  return { complaintId: complaint.id, messageId: message.id, sid };
}

describe('Twilio status callback', () => {
  it('moves a reply forward as Twilio reports it, and never back', async () => {
    // A real reply, sent by the worker with the status callback the runtime configures.
    const citizen = newCitizenNumber();
    expect((await postSigned(stack.target, whatsappForm(citizen, 'MENU'))).status).toBe(200);
    const reply = await waitFor(() => stack.twilio.sent.find((m) => m.To === citizen), 30_000, 'the reply');
    expect(reply.StatusCallback).toBe(`${TEST_PUBLIC_BASE_URL}${STATUS_PATH}`);
    await waitFor(async () => (await messagesRepo.findByTwilioSid(stack.runtime.db, reply.sid)) !== undefined, 10_000, 'the reply row');

    await report(reply.sid, 'sent');
    expect((await rowOf(reply.sid)).status).toBe('sent');
    await report(reply.sid, 'delivered');
    expect((await rowOf(reply.sid)).status).toBe('delivered');
    // Callbacks can arrive out of order: a late 'sent' does not undo 'delivered'.
    await report(reply.sid, 'sent');
    expect((await rowOf(reply.sid)).status).toBe('delivered');
    await report(reply.sid, 'read');
    await report(reply.sid, 'delivered');
    expect((await rowOf(reply.sid)).status).toBe('read');
  });

  it('records a failure with its error code and notes it once on the complaint timeline', async () => {
    const { complaintId, messageId, sid } = await complaintMessage();
    await report(sid, 'delivered');
    // 63016: outside the 24-hour window without a template; a failure wins over anything.
    await report(sid, 'failed', '63016');
    expect(await rowOf(sid)).toMatchObject({ status: 'failed', error_code: '63016' });
    await report(sid, 'failed', '63016');
    await report(sid, 'sent');
    expect((await rowOf(sid)).status).toBe('failed');

    const events = (await complaintsRepo.listEvents(stack.runtime.db, complaintId)).filter((e) => e.type === 'message_failed');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'system', data: { messageId, errorCode: '63016' } });
  });

  it('answers an unknown SID without changing anything', async () => {
    const sid = newMessageSid();
    await report(sid, 'failed', '30008');
    expect(await messagesRepo.findByTwilioSid(stack.runtime.db, sid)).toBeUndefined();
  });

  it('refuses a missing or invalid signature', async () => {
    const { sid } = await complaintMessage();
    const form = statusForm(sid, 'failed', '30008');
    expect((await postSigned(stack.target, form, { path: STATUS_PATH, signature: null })).status).toBe(403);
    expect((await postSigned({ ...stack.target, authToken: 'not-the-token' }, form, { path: STATUS_PATH })).status).toBe(403);
    expect(await rowOf(sid)).toMatchObject({ status: 'queued', error_code: null });
  });
});
