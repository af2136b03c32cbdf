// Media download over real HTTP against the fake Twilio (API origin + separate storage origin),
// and the local media storage on a temp dir.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MediaTooLargeError,
  MediaTypeNotAllowedError,
  MediaUnavailableError,
  NON_RETRYABLE_MEDIA_ERRORS,
  downloadTwilioMedia,
  type DownloadMediaOptions,
} from '../../activities/media/download';
import { InvalidMediaKeyError, createLocalMediaStorage, type MediaStorage } from '../../activities/media/storage';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';

const ACCOUNT_SID = `AC${'fedcba9876543210'.repeat(2)}`;
const AUTH_TOKEN = 'media-test-token';
const JPEG = randomBytes(4_096);

let fake: FakeTwilio;
let options: DownloadMediaOptions;

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  options = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, maxBytes: 10_000 };
});
afterEach(() => fake.reset());
afterAll(() => fake.stop());

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

function expectNoSecrets(err: Error): void {
  expect(err.message).not.toContain(ACCOUNT_SID);
  expect(err.message).not.toContain(AUTH_TOKEN);
}

describe('downloadTwilioMedia', () => {
  it('authenticates to Twilio, follows the redirect and drops Authorization for the storage origin', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000001', JPEG, 'image/jpeg');

    const media = await downloadTwilioMedia(url, options);

    expect(media.data.equals(JPEG)).toBe(true);
    expect(media).toMatchObject({
      contentType: 'image/jpeg',
      sizeBytes: JPEG.length,
      sha256: createHash('sha256').update(JPEG).digest('hex'),
    });
    expect(fake.mediaRequests).toEqual([
      { server: 'api', path: new URL(url).pathname, hadAuthorization: true },
      { server: 'storage', path: expect.stringMatching(/^\/media-store\//), hadAuthorization: false },
    ]);
  });

  it('keeps Authorization on a same-origin redirect, as fetch does (the fake storage refuses it)', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000002', JPEG, 'image/jpeg', { storage: 'same-origin' });

    const err = await rejectionOf(downloadTwilioMedia(url, options));

    expect(err.constructor).toBe(Error); // retryable, not one of the permanent media errors
    expect(err.message).toMatch(/HTTP 400/);
    expect(fake.mediaRequests.at(-1)).toMatchObject({ server: 'api', hadAuthorization: true });
  });

  it('rebases api.twilio.com media URLs onto apiBaseUrl', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000003', JPEG, 'video/mp4');
    const twilioUrl = url.replace(fake.url, 'https://api.twilio.com');

    const media = await downloadTwilioMedia(twilioUrl, { ...options, apiBaseUrl: fake.url });

    expect(media.contentType).toBe('video/mp4');
    expect(media.sizeBytes).toBe(JPEG.length);
  });

  it('rejects media whose Content-Length exceeds maxBytes', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000004', JPEG, 'image/jpeg');

    const err = await rejectionOf(downloadTwilioMedia(url, { ...options, maxBytes: 1_000 }));

    expect(err).toBeInstanceOf(MediaTooLargeError);
    expect(err).toMatchObject({ type: 'MediaTooLargeError', name: 'MediaTooLargeError', maxBytes: 1_000, sizeBytes: 4_096 });
  });

  it('stops reading a streamed body once it passes maxBytes', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000005', JPEG, 'image/jpeg', { chunked: true });

    const err = await rejectionOf(downloadTwilioMedia(url, { ...options, maxBytes: 1_000 }));

    expect(err).toBeInstanceOf(MediaTooLargeError);
    const { sizeBytes } = err as MediaTooLargeError;
    expect(sizeBytes).toBeGreaterThan(1_000);
    expect(sizeBytes).toBeLessThanOrEqual(JPEG.length);
  });

  it('downloads a streamed body within the limit', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000006', JPEG, 'image/png', { chunked: true });
    const media = await downloadTwilioMedia(url, options);
    expect(media.data.equals(JPEG)).toBe(true);
  });

  it('rejects content that is not an image or video', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000007', '%PDF-1.7', 'application/pdf');

    const err = await rejectionOf(downloadTwilioMedia(url, { ...options, declaredContentType: 'image/jpeg' }));

    expect(err).toBeInstanceOf(MediaTypeNotAllowedError);
    expect(err).toMatchObject({ type: 'MediaTypeNotAllowedError', contentType: 'application/pdf' });
  });

  it('falls back to the declared type when storage sends none', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000008', JPEG, null);

    await expect(downloadTwilioMedia(url, { ...options, declaredContentType: 'image/webp' })).resolves.toMatchObject({
      contentType: 'image/webp',
    });
    const err = await rejectionOf(downloadTwilioMedia(url, options));
    expect(err).toBeInstanceOf(MediaTypeNotAllowedError);
  });

  it('reports missing media (404) as unavailable, without the account SID', async () => {
    const url = `${fake.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM${'0'.repeat(32)}/Media/ME${'9'.repeat(32)}`;

    const err = await rejectionOf(downloadTwilioMedia(url, options));

    expect(err).toBeInstanceOf(MediaUnavailableError);
    expect(err).toMatchObject({ type: 'MediaUnavailableError', status: 404 });
    expectNoSecrets(err);
  });

  it('reports wrong credentials (401) as unavailable', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000010', JPEG, 'image/jpeg');

    const err = await rejectionOf(downloadTwilioMedia(url, { ...options, authToken: 'wrong' }));

    expect(err).toMatchObject({ type: 'MediaUnavailableError', status: 401 });
    expectNoSecrets(err);
  });

  it('treats 5xx and network failures as retryable plain Errors', async () => {
    const url = fake.addMedia('ME00000000000000000000000000000011', JPEG, 'image/jpeg');
    const failing503: typeof fetch = async () => new Response('busy', { status: 503 });

    const busy = await rejectionOf(downloadTwilioMedia(url, { ...options, fetchImpl: failing503 }));
    expect(busy.constructor).toBe(Error);
    expect(busy.message).toMatch(/HTTP 503/);
    expectNoSecrets(busy);

    const offline = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    await offline.stop();
    const down = await rejectionOf(downloadTwilioMedia(url.replace(fake.url, offline.url), options));
    expect(down.constructor).toBe(Error);
    expect(down.message).toMatch(/network error/);
    expectNoSecrets(down);
  });

  it('gives up after 5 redirects', async () => {
    let calls = 0;
    const loop: typeof fetch = async () => {
      calls++;
      return new Response(null, { status: 302, headers: { location: `/again/${calls}` } });
    };

    const err = await rejectionOf(downloadTwilioMedia('https://api.twilio.com/x', { ...options, fetchImpl: loop }));

    expect(err.message).toMatch(/too many media redirects/);
    expect(calls).toBe(6);
  });

  it('exposes the non-retryable error types for activities', () => {
    expect(NON_RETRYABLE_MEDIA_ERRORS).toEqual(['MediaTooLargeError', 'MediaTypeNotAllowedError', 'MediaUnavailableError']);
  });
});

describe('createLocalMediaStorage', () => {
  let root: string;
  let storage: MediaStorage;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'lapor-media-'));
    storage = createLocalMediaStorage(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('puts and gets a file with its content type', async () => {
    const key = 'reports/LK-2026-000123/ME0001.jpg';
    expect(await storage.exists(key)).toBe(false);

    await storage.put(key, JPEG, 'image/jpeg');

    expect(await storage.exists(key)).toBe(true);
    const stored = await storage.get(key);
    expect(stored?.data.equals(JPEG)).toBe(true);
    expect(stored?.contentType).toBe('image/jpeg');
    // Only the file and its type sidecar: no temp files left behind.
    expect(await readdir(path.join(root, 'reports/LK-2026-000123'))).toEqual(
      expect.arrayContaining(['ME0001.jpg', '.ME0001.jpg.content-type']),
    );
    expect(await readdir(path.join(root, 'reports/LK-2026-000123'))).toHaveLength(2);
  });

  it('overwrites an existing key', async () => {
    await storage.put('a/b.png', Buffer.from('one'), 'image/png');
    await storage.put('a/b.png', Buffer.from('two'), 'image/webp');
    expect(await storage.get('a/b.png')).toEqual({ data: Buffer.from('two'), contentType: 'image/webp' });
  });

  it('returns null for a missing key', async () => {
    expect(await storage.get('missing/nothing.jpg')).toBeNull();
  });

  it.each(['../escape.jpg', 'a/../../escape.jpg', '/etc/passwd', 'a//b.jpg', '', '.hidden', 'a/./b', 'a\\..\\b', 'C:/x'])(
    'rejects the key %j',
    async (key) => {
      await expect(storage.put(key, JPEG, 'image/jpeg')).rejects.toBeInstanceOf(InvalidMediaKeyError);
      await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidMediaKeyError);
      await expect(storage.exists(key)).rejects.toBeInstanceOf(InvalidMediaKeyError);
    },
  );
});
