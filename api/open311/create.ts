// POST requests: a service request from another channel becomes a complaint through the same
// path as a WhatsApp report (services/complaint-intake.ts), then follows the same lifecycle; the
// citizen is followed up on WhatsApp at the phone number given.
import { createHash } from 'node:crypto';
import { normalisePhone } from '../../app/pii-crypto';
import * as complaintsRepo from '../../db/repositories/complaints';
import { findKecamatan } from '../../domain/kecamatan';
import { validateNik, type NikProblem, type NikResult } from '../../domain/nik';
import { REPORT_KINDS, requiresEvidence, type Category, type EvidenceRef, type ReportDraft, type ReportKind } from '../../domain/report';
import { audit } from '../../services/audit';
import { authenticateToken } from '../../services/api-tokens';
import { startComplaint, submitReport } from '../../services/complaint-intake';
import type { AuthContext } from '../http/route';
import type { ApiDeps } from '../v1/deps';
import { DEFAULT_KIND, isServiceCode, JURISDICTION_ID } from './catalogue';
import { Open311Error } from './errors';
import { saveOpen311Evidence } from './media';

export const SERVICE_NOTICE =
  'Laporan diterima dan akan diteruskan ke OPD yang bertanggung jawab. Perkembangannya dikirim ke nomor WhatsApp pelapor.';

const MAX_DESCRIPTION = 4000; // the spec's limit
const MAX_NAME = 200;
const MAX_TEXT = 500;

/** A validated service request, in our terms. */
export interface Open311Submission {
  serviceCode: Category;
  description: string;
  lat?: number;
  long?: number;
  addressString?: string;
  nik: string;
  outsideRegency: boolean;
  name: string;
  address: string;
  kind: ReportKind;
  /** E.164, '+62…'. */
  phone: string;
  mediaUrl?: string;
}

/**
 * Form fields (and JSON, where `attribute` may also be an object) as flat strings:
 * 'attribute[nik]' and { attribute: { nik } } are the same field.
 */
export function flattenFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (body === undefined || body === null) return fields;
  if (typeof body !== 'object' || Array.isArray(body)) throw new Open311Error(400, 'The request body must be form fields or a JSON object.');
  const put = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === 'string') fields[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value);
    else throw new Open311Error(400, `${name} must be given once, as text.`);
  };
  for (const [name, value] of Object.entries(body)) {
    if (name === 'attribute' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [code, v] of Object.entries(value)) put(`attribute[${code}]`, v);
    } else {
      put(name, value);
    }
  }
  return fields;
}

/** The api_key must be an 'open311' key (or an admin's); anything else is 403, as the spec has it. */
export async function authenticateApiKey(deps: ApiDeps, apiKey: string | undefined): Promise<AuthContext> {
  const token = apiKey ? await authenticateToken(deps.db, apiKey.trim()) : undefined;
  if (!token || (token.role !== 'open311' && token.role !== 'admin')) throw new Open311Error(403, 'Invalid api_key received; cannot create the service request.');
  return { tokenId: token.id, name: token.name, role: token.role, opdUnitId: token.opd_unit_id };
}

const NIK_PROBLEMS: Record<NikProblem, string> = {
  length: 'must be 16 digits',
  not_digits: 'must be digits only',
  province: 'has an unknown province code',
  regency: 'has an invalid regency code',
  district: 'has an invalid district code',
  birth_date: 'has an invalid birth date',
  serial: 'has an invalid serial number',
};

/** Checks the fields; every problem is reported at once, naming the field but never its value. */
export function validateSubmission(fields: Record<string, string>): Open311Submission {
  const errors: string[] = [];
  const text = (name: string, max: number, required: boolean): string | undefined => {
    const value = fields[name]?.trim();
    if (!value) {
      if (required) errors.push(`${name} is required.`);
      return undefined;
    }
    if (value.length > max) errors.push(`${name} may have at most ${max} characters.`);
    return value;
  };

  if (fields.jurisdiction_id !== undefined && fields.jurisdiction_id.trim() !== JURISDICTION_ID) {
    throw new Open311Error(404, `jurisdiction_id not found; this server serves ${JURISDICTION_ID}.`);
  }
  const serviceCode = text('service_code', 50, true);
  if (serviceCode && !isServiceCode(serviceCode)) errors.push('service_code not found; see services.json.');
  const description = text('description', MAX_DESCRIPTION, true);

  const addressString = text('address_string', MAX_TEXT, false);
  const lat = coordinate(fields.lat, 'lat', 90, errors);
  const long = coordinate(fields.long, 'long', 180, errors);
  if ((lat === undefined) !== (long === undefined)) errors.push('lat and long must be given together.');
  else if (lat === undefined && !addressString) errors.push('A location is required: lat and long, or address_string.');

  const rawNik = text('attribute[nik]', 40, true);
  const nik = rawNik ? validateNik(rawNik) : undefined;
  if (nik && !nik.ok) errors.push(`attribute[nik] ${NIK_PROBLEMS[nik.problem]}.`);
  const name = text('attribute[nama]', MAX_NAME, true);
  const address = text('attribute[alamat]', MAX_TEXT, true);
  const rawKind = text('attribute[jenis]', 20, false)?.toLowerCase() ?? DEFAULT_KIND;
  const kind = (REPORT_KINDS as readonly string[]).includes(rawKind) ? (rawKind as ReportKind) : undefined;
  if (!kind) errors.push(`attribute[jenis] must be one of: ${REPORT_KINDS.join(', ')}.`);

  const rawPhone = text('phone', 40, true);
  const phone = rawPhone ? toE164(rawPhone) : undefined;
  if (rawPhone && !phone) errors.push('phone must be a WhatsApp number, e.g. +6281234567890 or 081234567890.');

  const mediaUrl = text('media_url', 2000, false);
  if (kind && requiresEvidence(kind) && !mediaUrl) errors.push('media_url is required for attribute[jenis] aduan: a photo or a video as evidence.');

  if (errors.length > 0) throw new Open311Error(400, errors);
  const validNik = nik as Extract<NikResult, { ok: true }>;
  return {
    serviceCode: serviceCode as Category,
    description: description!,
    lat,
    long,
    addressString,
    nik: validNik.nik,
    outsideRegency: validNik.outsideRegency,
    name: name!,
    address: address!,
    kind: kind!,
    phone: phone!,
    mediaUrl,
  };
}

function coordinate(raw: string | undefined, name: string, limit: number, errors: string[]): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    errors.push(`${name} must be a WGS-84 coordinate between -${limit} and ${limit}.`);
    return undefined;
  }
  return value;
}

/** '0812-3456-7890', '62812…', '+62 812…' and 'whatsapp:+62812…' become '+62812…'. */
export function toE164(raw: string): string | undefined {
  let phone = normalisePhone(raw).replace(/[\s\-().]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  else if (phone.startsWith('0')) phone = `+62${phone.slice(1)}`;
  else if (phone.startsWith('62')) phone = `+${phone}`;
  return /^\+[1-9]\d{7,14}$/.test(phone) ? phone : undefined;
}

/**
 * The same client sending the same request again gets the same complaint. The hash mixes in the
 * keyed hashes of the NIK and phone, so it cannot be reversed by guessing the personal data.
 */
export function submissionKeyOf(deps: ApiDeps, auth: AuthContext, s: Open311Submission): string {
  const canonical = JSON.stringify([
    deps.crypto.lookupHash('nik', s.nik),
    deps.crypto.lookupHash('phone', s.phone),
    s.name,
    s.address,
    s.serviceCode,
    s.kind,
    s.description,
    s.lat ?? null,
    s.long ?? null,
    s.addressString ?? null,
    s.mediaUrl ?? null,
  ]);
  return `open311:${auth.tokenId}:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** Stores the complaint (once per submission key), starts its workflow, and answers its ticket code. */
export async function createServiceRequest(deps: ApiDeps, auth: AuthContext, s: Open311Submission): Promise<{ ticketCode: string }> {
  const submissionKey = submissionKeyOf(deps, auth, s);
  const temporal = { client: deps.temporal.client, taskQueue: deps.temporal.taskQueue };

  // A retry after the complaint was stored only makes sure its workflow runs.
  const stored = await complaintsRepo.findBySubmissionKey(deps.db, submissionKey);
  if (stored) {
    await startComplaint(temporal, { ticketCode: stored.ticket_code, complaintId: stored.id, sendReceipt: true });
    return { ticketCode: stored.ticket_code };
  }

  const evidence: EvidenceRef[] = s.mediaUrl
    ? [
        await saveOpen311Evidence(
          { db: deps.db, storage: deps.storage, clock: deps.clock, maxBytes: deps.media.maxBytes, allowPrivateHosts: deps.media.allowPrivateHosts },
          s.mediaUrl,
          submissionKey,
        ),
      ]
    : [];
  const draft: ReportDraft = {
    name: s.name,
    address: s.address,
    nik: s.nik,
    outsideRegency: s.outsideRegency,
    kind: s.kind,
    kindGiven: true,
    category: s.serviceCode,
    categoryInferred: false,
    description: s.description,
    locationText: s.addressString,
    // As on WhatsApp: the place of the report first, else the reporter's address.
    kecamatan: (s.addressString && findKecamatan(s.addressString)) || findKecamatan(s.address),
    latitude: s.lat,
    longitude: s.long,
    evidence,
  };
  const { ticketCode, complaintId, created } = await submitReport(
    { db: deps.db, crypto: deps.crypto, clock: deps.clock, logger: deps.logger },
    { submissionKey, from: s.phone, draft, channel: 'open311' },
  ).catch(async (err) => {
    // The same POST twice at once: the second one's insert hits the unique submission key.
    const first = err?.code === '23505' ? await complaintsRepo.findBySubmissionKey(deps.db, submissionKey) : undefined;
    if (!first) throw err;
    return { ticketCode: first.ticket_code, complaintId: first.id, created: false };
  });
  if (created) {
    await audit(deps.db, auth, {
      action: 'open311.create',
      resourceType: 'complaint',
      resourceId: ticketCode,
      details: { serviceCode: s.serviceCode, kind: s.kind, evidence: evidence.length, outsideRegency: s.outsideRegency },
    });
  }
  // The citizen gets the same receipt on WhatsApp as if they had reported there.
  await startComplaint(temporal, { ticketCode, complaintId, sendReceipt: true });
  return { ticketCode };
}
