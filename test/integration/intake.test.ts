import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as mediaRepo from '../../db/repositories/media';
import * as messagesRepo from '../../db/repositories/messages';
import { complaintViewQuery } from '../../workflows/complaint';
import { startTestStack, type TestStack } from '../support/runtime';
import { newCitizenNumber, newMessageSid, postSigned, SAMPLE_JPEG, SAMPLE_REPORT, waitFor, whatsappForm } from '../support/whatsapp';

// The Express app, the worker and the workflows against real PostgreSQL, a real Temporal dev
// server and the real twilio SDK talking to the fake Twilio server.

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** Replies that went out to one citizen, in order. */
function repliesTo(citizen: string) {
  return stack.twilio.sent.filter((m) => m.To === citizen);
}

async function waitForReplies(citizen: string, n: number) {
  return waitFor(() => repliesTo(citizen).length >= n && repliesTo(citizen), 30_000, `${n} replies`);
}

async function send(citizen: string, body: string, extra: Parameters<typeof whatsappForm>[2] = {}) {
  const res = await postSigned(stack.target, whatsappForm(citizen, body, extra));
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<Response></Response>');
  return res;
}

function photo() {
  return { url: stack.twilio.addMedia(`ME${Date.now()}${Math.random().toString(16).slice(2, 10)}`, SAMPLE_JPEG, 'image/jpeg'), contentType: 'image/jpeg' };
}

/** The complaint workflow once it has routed the complaint (it then waits for the OPD). */
async function routedView(ticketCode: string) {
  const handle = stack.runtime.client!.workflow.getHandle(ticketCode);
  return waitFor(async () => {
    const view = await handle.query(complaintViewQuery).catch(() => undefined);
    return view?.status === 'routed' && view;
  }, 30_000, 'routing');
}

function ticketCodeIn(text: string | undefined): string {
  const match = text?.match(/LK-\d{4}-\d{6}/);
  if (!match) throw new Error('No ticket code in the reply');
  return match[0];
}

describe('WhatsApp intake', () => {
  it('refuses a missing or invalid signature: nothing stored, started or sent', async () => {
    const citizen = newCitizenNumber();
    const form = whatsappForm(citizen, SAMPLE_REPORT);
    const unsigned = await postSigned(stack.target, form, { signature: null });
    expect(unsigned.status).toBe(403);
    const forged = await postSigned({ ...stack.target, authToken: 'not-the-token' }, form);
    expect(forged.status).toBe(403);
    // Signed for another URL than the public one Twilio calls.
    const wrongUrl = await postSigned({ ...stack.target, publicBaseUrl: 'http://evil.example' }, form);
    expect(wrongUrl.status).toBe(403);

    await new Promise((r) => setTimeout(r, 500));
    const phoneHash = stack.runtime.crypto.lookupHash('phone', citizen.replace('whatsapp:', ''));
    expect(await messagesRepo.listByPhoneHash(stack.runtime.db, phoneHash)).toHaveLength(0);
    expect(repliesTo(citizen)).toHaveLength(0);
    const workflowId = stack.runtime.crypto.conversationWorkflowId(citizen);
    await expect(stack.runtime.client!.workflow.getHandle(workflowId).describe()).rejects.toThrow();
  });

  it('takes a whole report in one message with a photo: rows, ticket, complaint workflow, receipt', async () => {
    const citizen = newCitizenNumber();
    await send(citizen, SAMPLE_REPORT, { media: [photo()] });

    const [receipt] = await waitForReplies(citizen, 1);
    const ticketCode = ticketCodeIn(receipt.Body);
    expect(receipt.From).toBe('whatsapp:+6282131001001');
    expect(receipt.Body).not.toContain('3513015508900001');

    const db = stack.runtime.db;
    const complaint = (await complaintsRepo.findByTicketCode(db, ticketCode))!;
    expect(complaint).toMatchObject({ kind: 'aduan', category: 'infrastruktur', kecamatan: 'Sumberasih', outside_regency: false });
    // Personal data rests encrypted; the NIK is found by its keyed hash.
    expect(complaint.nik_enc).not.toContain('3513015508900001');
    expect(stack.runtime.crypto.decrypt(complaint.nik_enc)).toBe('3513015508900001');
    expect(complaint.nik_hash).toBe(stack.runtime.crypto.lookupHash('nik', '3513015508900001'));
    expect(stack.runtime.crypto.decrypt(complaint.reporter_name_enc)).toBe('Siti Aminah');

    const media = await mediaRepo.listForComplaint(db, complaint.id);
    expect(media).toHaveLength(1);
    expect(media[0]).toMatchObject({ content_type: 'image/jpeg', size_bytes: SAMPLE_JPEG.length });

    // The complaint workflow runs under the ticket code and routes to the OPD of the category.
    expect(await routedView(ticketCode)).toMatchObject({ ticketCode, status: 'routed', opdCode: 'DPUPR', level: 1 });
    const routed = (await complaintsRepo.findByTicketCode(db, ticketCode))!;
    expect(routed.status).toBe('routed');
    const events = await waitFor(async () => {
      const all = await complaintsRepo.listEvents(db, complaint.id);
      return all.length >= 3 && all;
    });
    expect(events.map((e) => e.type)).toEqual(['received', 'routed', 'officials_notified']);
    // The OPD's placeholder official heard of it, without the reporter's NIK.
    const officialNotice = stack.twilio.sent.find((m) => m.Body?.includes(ticketCode) && m.To !== citizen);
    expect(officialNotice?.Body).not.toContain('3513015508900001');

    // Inbound and outbound messages are stored, encrypted, with their Twilio SIDs.
    const messages = await messagesRepo.listByPhoneHash(db, stack.runtime.crypto.lookupHash('phone', citizen.replace('whatsapp:', '')));
    expect(messages.map((m) => m.direction)).toEqual(['inbound', 'outbound']);
    expect(messages[1].twilio_sid).toBe(receipt.sid);
    expect(messages[0].content_enc).not.toContain('Siti');
  });

  it('collects a report across five messages', async () => {
    const citizen = newCitizenNumber();
    const steps = [
      'Nama: Budi Santoso',
      'Alamat: Desa Tegalsiwalan RT 01 RW 02, Kec. Tegalsiwalan',
      'NIK 3513011203850002',
      'Keluhan: puskesmas pembantu di desa kami tutup sejak bulan lalu, warga harus ke kota',
    ];
    for (const [i, body] of steps.entries()) {
      await send(citizen, body);
      await waitForReplies(citizen, i + 1);
    }
    await send(citizen, '', { media: [photo()] });
    const replies = await waitForReplies(citizen, 5);
    const ticketCode = ticketCodeIn(replies[4].Body);
    // Each earlier reply asked for one thing and carried no ticket yet.
    for (const reply of replies.slice(0, 4)) expect(reply.Body).not.toMatch(/LK-\d{4}-\d{6}/);
    const complaint = (await complaintsRepo.findByTicketCode(stack.runtime.db, ticketCode))!;
    expect(complaint).toMatchObject({ category: 'kesehatan', category_inferred: true, kecamatan: 'Tegalsiwalan' });

    // The next message starts a new report.
    await send(citizen, 'Nama: Budi Santoso');
    const next = await waitForReplies(citizen, 6);
    expect(next[5].Body).not.toMatch(/LK-\d{4}-\d{6}/);
  });

  it('ignores a repeated delivery of the same MessageSid', async () => {
    const citizen = newCitizenNumber();
    const form = whatsappForm(citizen, 'Nama: Dewi Lestari');
    expect((await postSigned(stack.target, form)).status).toBe(200);
    await waitForReplies(citizen, 1);
    expect((await postSigned(stack.target, form)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(repliesTo(citizen)).toHaveLength(1);
    const rows = await messagesRepo.listByPhoneHash(stack.runtime.db, stack.runtime.crypto.lookupHash('phone', citizen.replace('whatsapp:', '')));
    expect(rows.filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('explains a bad NIK and accepts the corrected one', async () => {
    const citizen = newCitizenNumber();
    await send(citizen, SAMPLE_REPORT.replace('3513015508900001', '3513013208900001'), { media: [photo()] });
    const [problem] = await waitForReplies(citizen, 1);
    expect(problem.Body).toMatch(/NIK/);
    expect(problem.Body).toMatch(/tanggal/i);
    expect(problem.Body).not.toContain('3513013208900001');

    await send(citizen, '3513015508900001');
    const replies = await waitForReplies(citizen, 2);
    ticketCodeIn(replies[1].Body);
  });

  it('asks for evidence when an aduan comes without a photo, and refuses non-image media', async () => {
    const citizen = newCitizenNumber();
    await send(citizen, SAMPLE_REPORT);
    const [ask] = await waitForReplies(citizen, 1);
    expect(ask.Body).toMatch(/foto|video/i);

    const pdf = stack.twilio.addMedia(`ME${Date.now()}pdf`, Buffer.from('%PDF-1.4'), 'application/pdf');
    await send(citizen, '', { media: [{ url: pdf, contentType: 'application/pdf' }] });
    const replies = await waitForReplies(citizen, 2);
    expect(replies[1].Body).toMatch(/foto|video/i);
    expect(replies[1].Body).not.toMatch(/LK-\d{4}-\d{6}/);

    await send(citizen, '', { media: [photo()] });
    ticketCodeIn((await waitForReplies(citizen, 3))[2].Body);
  });

  it('answers STATUS to the reporter and reveals nothing to a stranger', async () => {
    const citizen = newCitizenNumber();
    await send(citizen, SAMPLE_REPORT, { media: [photo()] });
    const ticketCode = ticketCodeIn((await waitForReplies(citizen, 1))[0].Body);
    await routedView(ticketCode);

    await send(citizen, `STATUS ${ticketCode}`);
    const [, status] = await waitForReplies(citizen, 2);
    expect(status.Body).toContain(ticketCode);
    expect(status.Body).toContain('Dinas Pekerjaan Umum');

    const stranger = newCitizenNumber();
    await send(stranger, `status ${ticketCode.toLowerCase()}`);
    const [answer] = await waitForReplies(stranger, 1);
    expect(answer.Body).not.toContain('Dinas Pekerjaan Umum');
    expect(answer.Body).not.toContain('Siti');
    // The stranger gets the same answer as for a code that does not exist.
    await send(stranger, 'STATUS LK-1999-999999');
    const [, unknown] = await waitForReplies(stranger, 2);
    expect(unknown.Body!.replace('LK-1999-999999', ticketCode)).toBe(answer.Body);
  });

  it('keeps a stored message when Temporal cannot take it yet, and hands it over later', async () => {
    const citizen = newCitizenNumber();
    const { db, crypto, intake } = stack.runtime;
    // A message stored by a webhook whose signal never went out (a crash between the two).
    const phone = citizen.replace('whatsapp:', '');
    await messagesRepo.insertInboundOnce(db, {
      twilioSid: newMessageSid(),
      phoneHash: crypto.lookupHash('phone', phone),
      phoneEnc: crypto.encrypt(phone),
      contentEnc: crypto.encrypt(JSON.stringify({ body: 'MENU', media: [] })),
      numMedia: 0,
    });
    expect(await intake!.redispatchPending(0)).toBeGreaterThanOrEqual(1);
    const [help] = await waitForReplies(citizen, 1);
    expect(help.Body).toMatch(/STATUS/);
  });
});
