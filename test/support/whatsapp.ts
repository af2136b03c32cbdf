import { randomBytes } from 'node:crypto';
import twilio from 'twilio';

export function newMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** A WhatsApp number unique to a test, so tests never share a conversation. */
export function newCitizenNumber(): string {
  return `whatsapp:+628${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
}

export interface WebhookTarget {
  /** Where the app listens. */
  url: string;
  /** What Twilio believes it calls (PUBLIC_BASE_URL): the signature covers this URL. */
  publicBaseUrl: string;
  authToken: string;
}

/** Posts a form to the app the way Twilio does, signed with X-Twilio-Signature. */
export async function postSigned(
  target: WebhookTarget,
  params: Record<string, string>,
  options: { path?: string; signature?: string | null } = {},
): Promise<Response> {
  const path = options.path ?? '/webhooks/twilio/whatsapp';
  const signature =
    options.signature === undefined ? twilio.getExpectedTwilioSignature(target.authToken, target.publicBaseUrl + path, params) : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  return fetch(target.url + path, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
}

/** Twilio's form fields for one WhatsApp message from `from`. */
export function whatsappForm(
  from: string,
  body: string,
  extra: { media?: Array<{ url: string; contentType: string }>; sid?: string; latitude?: number; longitude?: number } = {},
): Record<string, string> {
  const form: Record<string, string> = {
    MessageSid: extra.sid ?? newMessageSid(),
    AccountSid: 'AC00000000000000000000000000000000',
    From: from,
    To: 'whatsapp:+6282131001001',
    Body: body,
    NumMedia: String(extra.media?.length ?? 0),
    ProfileName: 'Warga',
    WaId: from.replace('whatsapp:+', ''),
  };
  extra.media?.forEach((m, i) => {
    form[`MediaUrl${i}`] = m.url;
    form[`MediaContentType${i}`] = m.contentType;
  });
  if (extra.latitude !== undefined) form.Latitude = String(extra.latitude);
  if (extra.longitude !== undefined) form.Longitude = String(extra.longitude);
  return form;
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const SAMPLE_REPORT = [
  'Nama: Siti Aminah',
  'Alamat: Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih',
  'NIK: 3513015508900001',
  'Kategori: Infrastruktur',
  'Aduan: Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.',
].join('\n');

/** A tiny valid JPEG header is enough: evidence is checked by type and size, not decoded. */
export const SAMPLE_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2048), Buffer.from([0xff, 0xd9])]);
