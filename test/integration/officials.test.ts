import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { createLocalMediaStorage } from '../../activities/media/storage';
import { createMessenger } from '../../activities/messaging';
import { createTwilioSender } from '../../activities/twilio/whatsapp-sender';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as opdRepo from '../../db/repositories/opd';
import { WORKFLOWS_PATH } from '../../worker';
import { complaintViewQuery, complaintWorkflow } from '../../workflows/complaint';
import { createTimeSkippingEnv } from '../support/env';
import { startFakeTwilio } from '../support/fake-twilio';
import { copyComplaint, submitRoutedComplaint } from '../support/complaints';
import { startTestStack, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type TestStack } from '../support/runtime';
import { newCitizenNumber, postSigned, waitFor, whatsappForm } from '../support/whatsapp';

// Officials act on WhatsApp: commands over signed webhooks reach the complaint workflow as
// updates, against real PostgreSQL, the Temporal dev server and the fake Twilio server.

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function officialNumber(opdCode: string, level: number): Promise<string> {
  const unit = (await opdRepo.findUnitByCode(stack.runtime.db, opdCode))!;
  const [official] = await opdRepo.findActiveOfficials(stack.runtime.db, unit.id, level);
  return `whatsapp:${stack.runtime.crypto.decrypt(official.phone_enc)}`;
}

const messagesTo = (to: string) => stack.twilio.sent.filter((m) => m.To === to);

const submitComplaint = (citizen: string) => submitRoutedComplaint(stack, citizen);

describe('officials on WhatsApp', () => {
  it('the OPD accepts with TERIMA; another OPD is refused; the citizen hears of it', async () => {
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);
    const dpupr = await officialNumber('DPUPR', 1);
    const dinkes = await officialNumber('DINKES', 1);

    // An official of another OPD may not act on it, and is told why.
    const before = messagesTo(dinkes).length;
    await postSigned(stack.target, whatsappForm(dinkes, `TERIMA ${ticketCode} RINGAN`));
    const refusal = await waitFor(() => messagesTo(dinkes).length > before && messagesTo(dinkes).at(-1), 30_000, 'refusal');
    expect(refusal.Body).toMatch(/bukan kewenangan OPD Anda/);
    expect((await complaintsRepo.findByTicketCode(stack.runtime.db, ticketCode))!.status).toBe('routed');

    const ownBefore = messagesTo(dpupr).length;
    await postSigned(stack.target, whatsappForm(dpupr, `terima ${ticketCode.toLowerCase()} sedang`));
    const ack = await waitFor(() => messagesTo(dpupr).length > ownBefore && messagesTo(dpupr).at(-1), 30_000, 'acknowledgement');
    expect(ack.Body).toContain(ticketCode);

    const complaint = (await complaintsRepo.findByTicketCode(stack.runtime.db, ticketCode))!;
    expect(complaint).toMatchObject({ status: 'accepted', difficulty: 'sedang', policy_version: 1 });
    expect(complaint.target_at).not.toBeNull();
    const told = await waitFor(() => messagesTo(citizen).find((m) => m.Body?.includes(ticketCode) && /2 tahun|sedang/i.test(m.Body)), 30_000, 'citizen update');
    expect(told.Body).not.toContain('3513015508900001');

    // Anything that is not a command gets the officials' help text.
    const helpBefore = messagesTo(dpupr).length;
    await postSigned(stack.target, whatsappForm(dpupr, 'selamat pagi'));
    const help = await waitFor(() => messagesTo(dpupr).length > helpBefore && messagesTo(dpupr).at(-1), 30_000, 'help');
    expect(help.Body).toMatch(/TERIMA/);
  });

  it('goes on when the citizen cannot be reached, and shows it on the timeline', async () => {
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);
    const dpupr = await officialNumber('DPUPR', 1);
    const ackBefore = messagesTo(dpupr).length;
    // The next message out (the citizen's notice of acceptance) is refused: the number is blocked.
    stack.twilio.failNext(1, { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await postSigned(stack.target, whatsappForm(dpupr, `TERIMA ${ticketCode} RINGAN`));
    await waitFor(() => messagesTo(dpupr).length > ackBefore, 30_000, 'acknowledgement');

    const complaint = (await complaintsRepo.findByTicketCode(stack.runtime.db, ticketCode))!;
    expect(complaint.status).toBe('accepted');
    const events = await complaintsRepo.listEvents(stack.runtime.db, complaint.id);
    expect(events.find((e) => e.type === 'message_failed')?.data).toMatchObject({ audience: 'citizen' });
    expect((await stack.runtime.client!.workflow.getHandle(ticketCode).query(complaintViewQuery)).status).toBe('accepted');
  });

  it('the citizen withdraws with BATAL <kode>; a stranger cannot', async () => {
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);

    const stranger = newCitizenNumber();
    await postSigned(stack.target, whatsappForm(stranger, `BATAL ${ticketCode}`));
    await waitFor(() => messagesTo(stranger).length > 0, 30_000, 'answer to the stranger');
    expect((await complaintsRepo.findByTicketCode(stack.runtime.db, ticketCode))!.status).toBe('routed');

    await postSigned(stack.target, whatsappForm(citizen, `BATAL ${ticketCode}`));
    await waitFor(async () => (await complaintsRepo.findByTicketCode(stack.runtime.db, ticketCode))!.status === 'withdrawn', 30_000, 'withdrawal');
  });
});

describe('escalation over months, with real activities on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;

  afterAll(async () => {
    await env?.teardown();
  });

  it('reaches the head of the OPD at the number they have now, as a template outside the 24-hour window', async () => {
    env = await createTimeSkippingEnv();
    const twilio = await startFakeTwilio({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    const { db, crypto } = stack.runtime;
    const logger = pino({ level: 'silent' });
    const escalationTemplate = `HX${'e'.repeat(32)}`;
    const messenger = createMessenger({
      db,
      crypto,
      sender: createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, from: 'whatsapp:+6282131001001', apiBaseUrl: twilio.url }),
      clock: () => new Date(),
      logger,
      templates: { escalation: escalationTemplate },
    });
    const taskQueue = `escalation-${randomUUID()}`;
    const activities = createActivities({
      db,
      crypto,
      temporal: { client: env.client, taskQueue },
      messenger,
      storage: createLocalMediaStorage(mkdtempSync(path.join(os.tmpdir(), 'lapor-media-'))),
      logger,
      clock: () => new Date(),
      media: { maxBytes: 1024 * 1024 },
    });
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities });

    // A complaint as the intake stores it.
    const citizen = newCitizenNumber();
    const ticketCode = await submitComplaint(citizen);
    const escalatedTicket = ticketCode.replace(/^LK-\d{4}/, 'LK-2098');
    const copy = await copyComplaint(db, ticketCode, { ticket_code: escalatedTicket, status: 'received' });

    // The head of DPUPR changes phones while the complaint waits for acceptance.
    const unit = (await opdRepo.findUnitByCode(db, 'DPUPR'))!;
    const [head] = await opdRepo.findActiveOfficials(db, unit.id, 2);
    const newNumber = `+62811${String(Date.now()).slice(-7)}`;

    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(complaintWorkflow, { workflowId: escalatedTicket, taskQueue, args: [{ ticketCode: escalatedTicket, complaintId: copy.id }] });
      await waitFor(async () => (await handle.query(complaintViewQuery)).status === 'routed', 30_000, 'routing');
      await opdRepo.updateOfficialPhone(db, head.id, crypto.encrypt(newNumber), crypto.lookupHash('phone', newNumber));
      // Five working days (and the nights and weekends in between) later, acceptance is overdue.
      await env.sleep(9 * 24 * 60 * 60 * 1000);
      await waitFor(async () => (await handle.query(complaintViewQuery)).level === 2, 30_000, 'escalation');
      await handle.terminate();
    });

    const escalation = await waitFor(() => twilio.sent.find((m) => m.To === `whatsapp:${newNumber}`), 30_000, 'escalation message');
    expect(escalation.ContentSid).toBe(escalationTemplate);
    expect(escalation.ContentVariables).toContain(escalatedTicket);
    const events = await complaintsRepo.listEvents(db, copy.id);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['routed', 'escalated']));
    await twilio.stop();
  });
});
