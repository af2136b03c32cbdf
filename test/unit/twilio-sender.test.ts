// The real twilio SDK, pointed at the fake Twilio server through RebasingRequestClient.
import { Writable } from 'node:stream';
import pino from 'pino';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RebasingRequestClient, rebaseTwilioUrl } from '../../activities/twilio/rebasing-request-client';
import {
  PermanentSendError,
  classifySendError,
  createSandboxSender,
  createTwilioSender,
  maskPhone,
  scrubDigits,
  type WhatsAppSender,
} from '../../activities/twilio/whatsapp-sender';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'test-auth-token';
const FROM = 'whatsapp:+14155238886';
const CITIZEN = 'whatsapp:+6281234567890';

let fake: FakeTwilio;
let sender: WhatsAppSender;

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  sender = createTwilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiBaseUrl: fake.url });
});
afterEach(() => fake.reset());
afterAll(() => fake.stop());

/** The rejection of `promise`, failing the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('rebaseTwilioUrl', () => {
  it('moves api.twilio.com onto the base URL, keeping path and query', () => {
    expect(
      rebaseTwilioUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=50', 'http://127.0.0.1:4010'),
    ).toBe('http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?PageSize=50');
  });

  it('also rebases regional and other *.twilio.com hosts, under a base path prefix', () => {
    expect(rebaseTwilioUrl('https://api.sydney.us1.twilio.com/v1/Services', 'http://proxy:8080/twilio/')).toBe(
      'http://proxy:8080/twilio/v1/Services',
    );
  });

  it('leaves hosts that are not Twilio alone', () => {
    const url = 'https://media.example.org/a.jpg?sig=1';
    expect(rebaseTwilioUrl(url, 'http://127.0.0.1:4010')).toBe(url);
    expect(rebaseTwilioUrl('https://eviltwilio.com/x', 'http://127.0.0.1:4010')).toBe('https://eviltwilio.com/x');
  });

  it('lets the unmodified SDK create and fetch messages on the base URL', async () => {
    const client = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: new RebasingRequestClient(fake.url) });
    const created = await client.messages.create({ from: FROM, to: CITIZEN, body: 'Halo' });
    const fetched = await client.messages(created.sid).fetch();
    expect(fetched).toMatchObject({ sid: created.sid, to: CITIZEN, from: FROM, body: 'Halo', status: 'queued' });
    expect(fetched.dateCreated).toBeInstanceOf(Date);
  });
});

describe('createTwilioSender', () => {
  it('sends a text through the SDK with the right form fields', async () => {
    const result = await sender.send({ to: CITIZEN, body: 'Laporan Anda diterima', statusCallback: 'https://lapor.example/status' });

    expect(sender.mode).toBe('twilio');
    expect(result.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.status).toBe('queued');
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      sid: result.sid,
      From: FROM,
      To: CITIZEN,
      Body: 'Laporan Anda diterima',
      StatusCallback: 'https://lapor.example/status',
      MediaUrl: [],
    });
  });

  it('sends content templates with JSON variables and repeated MediaUrl fields', async () => {
    await sender.send({
      to: CITIZEN,
      contentSid: 'HX0123456789abcdef0123456789abcdef',
      contentVariables: { '1': 'Budi', '2': 'LK-2026-000123' },
      mediaUrls: ['https://lapor.example/m/1.jpg', 'https://lapor.example/m/2.jpg'],
    });

    const [message] = await fake.waitForMessages(1, 1_000);
    expect(message.ContentSid).toBe('HX0123456789abcdef0123456789abcdef');
    expect(JSON.parse(message.ContentVariables!)).toEqual({ '1': 'Budi', '2': 'LK-2026-000123' });
    expect(message.MediaUrl).toEqual(['https://lapor.example/m/1.jpg', 'https://lapor.example/m/2.jpg']);
    expect(message.Body).toBeUndefined();
  });

  it('fails permanently on bad credentials (401, code 20003)', async () => {
    const wrong = createTwilioSender({ accountSid: ACCOUNT_SID, authToken: 'wrong', from: FROM, apiBaseUrl: fake.url });
    const err = await rejectionOf(wrong.send({ to: CITIZEN, body: 'x' }));

    expect(err).toBeInstanceOf(PermanentSendError);
    expect(err).toMatchObject({ code: 20003, status: 401 });
    expect(fake.sent).toHaveLength(0);
  });

  it.each([
    [21211, "The 'To' number {To} is not a valid phone number."],
    [21610, 'Attempt to send to unsubscribed recipient {To}'],
    [63003, 'Channel could not find To address {To}'],
  ])('fails permanently on 400 code %i, without the number in the message', async (code, message) => {
    fake.failNext(1, { status: 400, code, message });
    const err = await rejectionOf(sender.send({ to: CITIZEN, body: 'x' }));

    expect(err).toBeInstanceOf(PermanentSendError);
    expect(err).toMatchObject({ name: 'PermanentSendError', code, status: 400 });
    expect(classifySendError(err)).toEqual({ permanent: true, code, status: 400 });
    expect(err.message).toContain(`code ${code}`);
    expect(err.message).toContain('[redacted]');
    expect(err.message).not.toMatch(/81234567890|1234567/);
  });

  it.each([500, 503, 429])('treats HTTP %i as transient: a plain, scrubbed Error', async (status) => {
    fake.failNext(1, { status, code: 20500, message: 'Internal error while sending to {To}' });
    const err = await rejectionOf(sender.send({ to: CITIZEN, body: 'x' }));

    expect(err).not.toBeInstanceOf(PermanentSendError);
    expect(err.constructor).toBe(Error);
    expect(err.message).toContain(`HTTP ${status}`);
    expect(err.message).not.toContain('1234567890');
    expect(fake.sent).toHaveLength(0);

    // The next attempt goes through: the failure was only for one request.
    await sender.send({ to: CITIZEN, body: 'x' });
    expect(fake.sent).toHaveLength(1);
  });

  it('treats a refused connection as transient', async () => {
    const stopped = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    await stopped.stop();
    const offline = createTwilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiBaseUrl: stopped.url });
    const err = await rejectionOf(offline.send({ to: CITIZEN, body: 'x' }));

    expect(err).not.toBeInstanceOf(PermanentSendError);
    expect(err.message).toMatch(/network/);
    expect(err.message).not.toContain(AUTH_TOKEN);
  });

  it('rejects a recipient without the whatsapp: prefix before calling Twilio', async () => {
    const err = await rejectionOf(sender.send({ to: '+6281234567890', body: 'x' }));
    expect(err).toBeInstanceOf(PermanentSendError);
    expect(err.message).not.toContain('81234567890');
    expect(fake.sent).toHaveLength(0);
  });
});

describe('classifySendError', () => {
  it('calls unknown and status-less errors transient', () => {
    expect(classifySendError(new Error('socket hang up'))).toEqual({ permanent: false });
    expect(classifySendError('boom')).toEqual({ permanent: false });
    expect(classifySendError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({ permanent: false });
  });

  it('calls 400/401/403/404 permanent and the rest transient', () => {
    const withStatus = (status: number) => Object.assign(new Error('x'), { status, code: 21408 });
    for (const status of [400, 401, 403, 404]) expect(classifySendError(withStatus(status)).permanent).toBe(true);
    for (const status of [409, 429, 500, 502, 503]) expect(classifySendError(withStatus(status)).permanent).toBe(false);
  });
});

describe('scrubDigits and maskPhone', () => {
  it('removes runs of 6+ digits but keeps error codes', () => {
    expect(scrubDigits("code 21211: The 'To' number whatsapp:+62 812-3456-7890 is invalid")).toBe(
      "code 21211: The 'To' number whatsapp:[redacted] is invalid",
    );
  });

  it('keeps the country/operator prefix and last four digits', () => {
    expect(maskPhone('whatsapp:+6281234567890')).toBe('whatsapp:+62812****7890');
    expect(maskPhone('+6281234567890')).toBe('+62812****7890');
    expect(maskPhone('12345')).toBe('12****45');
    expect(maskPhone('')).toBe('****');
  });
});

describe('createSandboxSender', () => {
  it('sends nothing and logs the text with the numbers masked', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const sandbox = createSandboxSender({ from: FROM, logger: pino({ level: 'info' }, destination) });

    const result = await sandbox.send({ to: CITIZEN, body: 'Terima kasih, laporan Anda kami terima' });

    expect(sandbox.mode).toBe('sandbox');
    expect(result).toEqual({ sid: expect.stringMatching(/^SBX[0-9a-f]{32}$/), status: 'sandbox' });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({
      level: 30,
      sid: result.sid,
      to: 'whatsapp:+62812****7890',
      body: 'Terima kasih, laporan Anda kami terima',
    });
    expect(lines[0]).not.toContain('6281234567890');
    expect(lines[0]).not.toContain('14155238886');
    expect(fake.sent).toHaveLength(0);
  });
});
