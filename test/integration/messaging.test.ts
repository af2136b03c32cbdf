import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMessenger, type Messenger, type OutgoingMessage } from '../../activities/messaging';
import { createTwilioSender } from '../../activities/twilio/whatsapp-sender';
import { PiiCrypto } from '../../app/pii-crypto';
import { createDatabase, migrateToLatest, type Db } from '../../db/connect';
import * as messagesRepo from '../../db/repositories/messages';
import { splitForWhatsApp } from '../../domain/whatsapp-text';
import type { deliverMessageWorkflow } from '../fixtures/workflows/deliver-message';
import { temporalAddress, testDatabaseUrl } from '../support/env';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PII_KEY } from '../support/runtime';
import { newCitizenNumber, newMessageSid, waitFor } from '../support/whatsapp';

// The messenger on real PostgreSQL, with the real twilio SDK against the fake Twilio server; the
// crash case on the Temporal dev server with a real activity timeout.

const FROM = 'whatsapp:+6282131001001';
const STATUS_CALLBACK = 'https://lapor.probolinggokab.example/webhooks/twilio/status';
const TEMPLATES = { reminder: `HX${'0123456789abcdef'.repeat(2)}`, status_update: `HX${'fedcba9876543210'.repeat(2)}` };
const HOUR_MS = 60 * 60 * 1000;

const crypto = new PiiCrypto(Buffer.from(TEST_PII_KEY, 'base64'));
const logLines: Array<{ level: number; msg: string; kind?: string }> = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()));
      done();
    },
  }),
);

let db: Db;
let fake: FakeTwilio;
let messenger: Messenger;

beforeAll(async () => {
  db = await createDatabase({ url: testDatabaseUrl() });
  await migrateToLatest(db);
  fake = await startFakeTwilio({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
  const sender = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, from: FROM, apiBaseUrl: fake.url });
  messenger = createMessenger({ db, crypto, sender, clock: () => new Date(), logger, templates: TEMPLATES, statusCallbackUrl: STATUS_CALLBACK });
});

afterEach(() => {
  logLines.length = 0;
});

afterAll(async () => {
  await fake?.stop();
  await db?.destroy();
});

/** A number whose last message to us arrived `agoMs` ago (or that never wrote). */
async function recipient(agoMs?: number): Promise<string> {
  const citizen = newCitizenNumber();
  if (agoMs !== undefined) {
    const phone = citizen.replace('whatsapp:', '');
    await db
      .insertInto('messages')
      .values({
        direction: 'inbound',
        twilio_sid: newMessageSid(),
        phone_hash: crypto.lookupHash('phone', phone),
        phone_enc: crypto.encrypt(phone),
        content_enc: crypto.encrypt(JSON.stringify({ body: 'Halo' })),
        status: 'dispatched',
        created_at: new Date(Date.now() - agoMs),
      })
      .execute();
  }
  return citizen;
}

function sentTo(citizen: string) {
  return fake.sent.filter((m) => m.To === citizen);
}

async function outboundRows(citizen: string) {
  const rows = await messagesRepo.listByPhoneHash(db, crypto.lookupHash('phone', citizen.replace('whatsapp:', '')));
  return rows.filter((r) => r.direction === 'outbound');
}

function message(to: string, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return { idempotencyKey: randomUUID(), to, text: 'Aduan LK-2026-000123 sedang ditangani Dinas Pekerjaan Umum.', kind: 'status_update', ...overrides };
}

describe('messenger', () => {
  it('sends free-form inside the 24-hour window, recorded encrypted with its SID and status callback', async () => {
    const citizen = await recipient(HOUR_MS);
    const delivery = await messenger.deliver(message(citizen));

    const [sent] = sentTo(citizen);
    expect(delivery).toEqual({ sids: [sent.sid], via: 'freeform' });
    expect(sent).toMatchObject({ From: FROM, Body: 'Aduan LK-2026-000123 sedang ditangani Dinas Pekerjaan Umum.', ContentSid: undefined, StatusCallback: STATUS_CALLBACK });
    const [row] = await outboundRows(citizen);
    expect(row).toMatchObject({ twilio_sid: sent.sid, status: 'queued', template_kind: null, content_sid: null });
    expect(row.content_enc).not.toContain('LK-2026');
    expect(JSON.parse(crypto.decrypt(row.content_enc!))).toEqual({ body: sent.Body });
  });

  it('sends the template of the kind outside the window, with its variables', async () => {
    const citizen = await recipient(2 * 24 * HOUR_MS);
    const variables = { '1': 'LK-2026-000123', '2': '12 Desember 2026' };
    const delivery = await messenger.deliver(message(citizen, { kind: 'reminder', variables }));

    const [sent] = sentTo(citizen);
    expect(delivery).toEqual({ sids: [sent.sid], via: 'template' });
    expect(sent).toMatchObject({ ContentSid: TEMPLATES.reminder, Body: undefined, StatusCallback: STATUS_CALLBACK });
    expect(JSON.parse(sent.ContentVariables!)).toEqual(variables);
    const [row] = await outboundRows(citizen);
    expect(row).toMatchObject({ twilio_sid: sent.sid, template_kind: 'reminder', content_sid: TEMPLATES.reminder });
  });

  it('treats a window closing in under ten minutes as closed', async () => {
    const citizen = await recipient(23 * HOUR_MS + 55 * 60 * 1000);
    expect((await messenger.deliver(message(citizen))).via).toBe('template');
    expect(sentTo(citizen)[0].ContentSid).toBe(TEMPLATES.status_update);
  });

  it('splits a long text only when it goes free-form; a template gets the whole text, on one line, as variable 1', async () => {
    const paragraph = 'Petugas sudah meninjau lokasi jalan berlubang dan menjadwalkan perbaikan. '.repeat(12).trim();
    const text = [paragraph, paragraph, paragraph].join('\n\n');
    expect(text.length).toBeGreaterThan(1600);

    const inWindow = await recipient(HOUR_MS);
    const freeform = await messenger.deliver(message(inWindow, { text }));
    expect(freeform.sids).toHaveLength(2);
    expect(sentTo(inWindow).map((m) => m.Body)).toEqual(splitForWhatsApp(text));

    const outside = await recipient(3 * 24 * HOUR_MS);
    const template = await messenger.deliver(message(outside, { text }));
    expect(template).toMatchObject({ via: 'template', sids: [sentTo(outside)[0].sid] });
    // WhatsApp refuses line breaks in template parameters.
    expect(JSON.parse(sentTo(outside)[0].ContentVariables!)).toEqual({ '1': [paragraph, paragraph, paragraph].join(' ') });
  });

  it('warns and sends free-form when no template is configured for the kind', async () => {
    const official = await recipient(); // never wrote to us
    expect((await messenger.deliver(message(official, { kind: 'official_notice' }))).via).toBe('freeform');
    expect(sentTo(official)[0]).toMatchObject({ ContentSid: undefined, Body: expect.stringContaining('LK-2026-000123') });
    expect(logLines).toContainEqual(expect.objectContaining({ level: 40, kind: 'official_notice' }));
  });

  it('sends a message once however often it is delivered under the same key', async () => {
    const citizen = await recipient(HOUR_MS);
    const once = message(citizen);
    const first = await messenger.deliver(once);
    const again = await messenger.deliver(once);
    expect(again).toEqual(first);
    expect(sentTo(citizen)).toHaveLength(1);
    expect(await outboundRows(citizen)).toHaveLength(1);
  });

  it('turns a permanent Twilio error into a non-retryable PermanentSendError and records it', async () => {
    const citizen = await recipient(HOUR_MS);
    fake.failNext(1, { status: 400, code: 21211, message: "The 'To' number {To} is not a valid phone number." });
    const failing = message(citizen);
    await expect(messenger.deliver(failing)).rejects.toMatchObject({ type: 'PermanentSendError', nonRetryable: true, message: expect.stringContaining('21211') });
    const [row] = await outboundRows(citizen);
    expect(row).toMatchObject({ status: 'failed', error_code: '21211', twilio_sid: null });
    // Delivered again (a replay, a repeated call): refused without another try at Twilio.
    await expect(messenger.deliver(failing)).rejects.toMatchObject({ type: 'PermanentSendError' });
    expect(sentTo(citizen)).toHaveLength(0);
  });

  it('sends a message whose earlier attempt never reached Twilio', async () => {
    const citizen = await recipient(HOUR_MS);
    const interrupted = message(citizen);
    const phone = citizen.replace('whatsapp:', '');
    // What a crash between recording and sending leaves behind.
    await messagesRepo.recordOutbound(db, {
      idempotencyKey: interrupted.idempotencyKey,
      phoneHash: crypto.lookupHash('phone', phone),
      phoneEnc: crypto.encrypt(phone),
      contentEnc: crypto.encrypt(JSON.stringify({ body: interrupted.text })),
      complaintId: null,
    });
    const delivery = await messenger.deliver(interrupted);
    expect(sentTo(citizen)).toHaveLength(1);
    expect(delivery.sids).toEqual([sentTo(citizen)[0].sid]);
  });

  it('takes its own SID when the interrupted attempt stores it while the retry reconciles', async () => {
    const citizen = await recipient(HOUR_MS);
    const twice = message(citizen);
    fake.delayNext(1_000);
    const first = messenger.deliver(twice);
    await waitFor(() => sentTo(citizen).length === 1, 5_000, 'the first attempt to reach Twilio');
    // The retry lists Twilio's messages before the first attempt gets its answer, and goes on
    // only after that attempt has stored the SID: the race a timed-out activity leaves open.
    const real = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, from: FROM, apiBaseUrl: fake.url });
    const slowToReconcile = createMessenger({
      db,
      crypto,
      clock: () => new Date(),
      logger,
      templates: TEMPLATES,
      sender: {
        mode: real.mode,
        send: (msg) => real.send(msg),
        async findSent(to, since, match) {
          const found = await real.findSent!(to, since, match);
          await first;
          return found;
        },
      },
    });
    const retry = await slowToReconcile.deliver(twice);
    expect(await first).toEqual(retry);
    expect(sentTo(citizen)).toHaveLength(1);
    expect(retry.sids).toEqual([sentTo(citizen)[0].sid]);
  });

  it('sends once when an activity times out after Twilio accepted the message, and its retry reconciles', async () => {
    const citizen = await recipient(HOUR_MS);
    const taskQueue = `test-messaging-${randomUUID()}`;
    let attempts = 0;
    const workerConnection = await NativeConnection.connect({ address: temporalAddress() });
    const clientConnection = await Connection.connect({ address: temporalAddress() });
    try {
      const worker = await Worker.create({
        connection: workerConnection,
        taskQueue,
        workflowsPath: fileURLToPath(new URL('../fixtures/workflows/deliver-message.ts', import.meta.url)),
        activities: {
          async deliverMessage(input: OutgoingMessage) {
            attempts += 1;
            return messenger.deliver(input);
          },
        },
      });
      const client = new Client({ connection: clientConnection });
      // Twilio takes the message at once but answers after 3 s; the activity may take 2 s.
      fake.delayNext(3_000);
      const delivery = await worker.runUntil(
        client.workflow.execute<typeof deliverMessageWorkflow>('deliverMessageWorkflow', {
          taskQueue,
          workflowId: `deliver-${randomUUID()}`,
          args: [message(citizen)],
        }),
      );

      expect(attempts).toBeGreaterThanOrEqual(2);
      const sent = sentTo(citizen);
      expect(sent).toHaveLength(1);
      expect(delivery).toEqual({ sids: [sent[0].sid], via: 'freeform' });
      const rows = await outboundRows(citizen);
      expect(rows).toHaveLength(1);
      expect(rows[0].twilio_sid).toBe(sent[0].sid);
    } finally {
      await clientConnection.close();
      await workerConnection.close();
    }
  });
});
