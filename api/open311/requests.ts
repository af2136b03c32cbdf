// GET requests: complaints as GeoReport v2 service requests. Public answers, so only what
// identifies no one is read from the database: never the reporter's name, NIK, phone or
// address, and no media (evidence may show people).
import type { Db } from '../../db/connect';
import type { Category, ComplaintStatus } from '../../domain/report';
import { CATEGORIES, COMPLAINT_STATUSES, OPEN_STATUSES, TICKET_CODE_PATTERN } from '../../domain/report';
import { formatDateWib } from '../../domain/messages';
import { serviceName } from './catalogue';
import { Open311Error } from './errors';

export const MAX_REQUESTS = 1000;
export const MAX_SPAN_DAYS = 90;
const MAX_IDS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export type Open311Status = 'open' | 'closed';

export function open311Status(status: ComplaintStatus): Open311Status {
  return (OPEN_STATUSES as readonly string[]).includes(status) ? 'open' : 'closed';
}

export interface RequestFilter {
  ids?: string[];
  serviceCodes?: Category[];
  statuses?: ComplaintStatus[];
  start: Date;
  end: Date;
}

type Query = Record<string, unknown>;

/** Reads the spec's filters; service_request_id overrides all the others, as the spec says. */
export function parseRequestFilter(query: Query, now: Date): RequestFilter | { ids: string[] } {
  const ids = listParam(query, 'service_request_id');
  if (ids) {
    if (ids.length > MAX_IDS) throw new Open311Error(400, `service_request_id may list at most ${MAX_IDS} ids.`);
    if (!ids.every((id) => TICKET_CODE_PATTERN.test(id))) throw new Open311Error(400, 'service_request_id must be ticket codes like LK-2026-000123.');
    return { ids };
  }
  const errors: string[] = [];
  const codes = listParam(query, 'service_code');
  if (codes && !codes.every((c) => (CATEGORIES as readonly string[]).includes(c))) errors.push(`service_code must be one of: ${CATEGORIES.join(', ')}.`);
  const statusParam = listParam(query, 'status');
  if (statusParam && !statusParam.every((s) => s === 'open' || s === 'closed')) errors.push('status must be open or closed.');
  const startParam = dateParam(query, 'start_date', errors);
  const endParam = dateParam(query, 'end_date', errors);
  if (errors.length > 0) throw new Open311Error(400, errors);

  // No range: the last 90 days. Only a start: 90 days from it (or until now).
  const end = endParam ?? (startParam ? new Date(Math.min(now.getTime(), startParam.getTime() + MAX_SPAN_DAYS * DAY_MS)) : now);
  const start = startParam ?? new Date(end.getTime() - MAX_SPAN_DAYS * DAY_MS);
  if (start > end) throw new Open311Error(400, 'start_date must not be after end_date.');
  if (end.getTime() - start.getTime() > MAX_SPAN_DAYS * DAY_MS) throw new Open311Error(400, `start_date and end_date may be at most ${MAX_SPAN_DAYS} days apart.`);

  const wanted = statusParam ? new Set(statusParam) : undefined;
  return {
    serviceCodes: codes as Category[] | undefined,
    // Both open and closed asked for is the same as no filter.
    statuses: wanted && wanted.size === 1 ? statusesOf([...wanted][0] as Open311Status) : undefined,
    start,
    end,
  };
}

function statusesOf(status: Open311Status): ComplaintStatus[] {
  return COMPLAINT_STATUSES.filter((s) => open311Status(s) === status);
}

/** 'a,b' (or the parameter given twice) as ['a', 'b']; undefined when absent or empty. */
function listParam(query: Query, name: string): string[] | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  if (!values.every((v) => typeof v === 'string')) throw new Open311Error(400, `${name} is not valid.`);
  const list = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return list.length > 0 ? list : undefined;
}

// ISO 8601 with a time zone, as the spec asks (a bare date is taken as UTC midnight).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

function dateParam(query: Query, name: string, errors: string[]): Date | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  const date = typeof raw === 'string' && ISO_DATE.test(raw.trim()) ? new Date(raw.trim()) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    errors.push(`${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T00:00:00+07:00.`);
    return undefined;
  }
  return date;
}

/** At most 1000 requests, newest first. */
export async function findRequests(db: Db, filter: RequestFilter | { ids: string[] }) {
  let query = db
    .selectFrom('complaints as c')
    .leftJoin('opd_units as u', 'u.id', 'c.opd_unit_id')
    .select([
      'c.id',
      'c.ticket_code',
      'c.status',
      'c.category',
      'c.description',
      'c.rejection_reason',
      'c.difficulty',
      'c.submitted_at',
      'c.updated_at',
      'c.target_at',
      'c.location_text',
      'c.latitude',
      'c.longitude',
      'u.name as opd_name',
    ]);
  if ('start' in filter) {
    query = query.where('c.submitted_at', '>=', filter.start).where('c.submitted_at', '<=', filter.end);
    if (filter.serviceCodes) query = query.where('c.category', 'in', filter.serviceCodes);
    if (filter.statuses) query = query.where('c.status', 'in', filter.statuses);
  } else {
    query = query.where('c.ticket_code', 'in', filter.ids);
  }
  const rows = await query.orderBy('c.submitted_at', 'desc').orderBy('c.id', 'desc').limit(MAX_REQUESTS).execute();
  return rows.map(toServiceRequest);
}

type RequestRow = {
  ticket_code: string;
  status: ComplaintStatus;
  category: Category;
  description: string;
  rejection_reason: string | null;
  difficulty: string | null;
  submitted_at: Date;
  updated_at: Date;
  target_at: Date | null;
  location_text: string | null;
  latitude: number | null;
  longitude: number | null;
  opd_name: string | null;
};

/** The spec's fields of a service request. */
export function toServiceRequest(row: RequestRow) {
  return {
    service_request_id: row.ticket_code,
    status: open311Status(row.status),
    status_notes: statusNotes(row),
    service_name: serviceName(row.category),
    service_code: row.category,
    description: row.description,
    agency_responsible: row.opd_name,
    service_notice: row.difficulty && row.target_at ? `Tingkat kesulitan ${row.difficulty}; target penyelesaian ${formatDateWib(row.target_at)}.` : null,
    requested_datetime: row.submitted_at.toISOString(),
    updated_datetime: row.updated_at.toISOString(),
    expected_datetime: row.target_at?.toISOString() ?? null,
    address: row.location_text,
    address_id: null,
    zipcode: null,
    lat: row.latitude,
    long: row.longitude,
  };
}

export type ServiceRequest = ReturnType<typeof toServiceRequest>;

function statusNotes(row: RequestRow): string {
  const opd = row.opd_name ?? 'OPD yang bertanggung jawab';
  switch (row.status) {
    case 'received':
      return 'Laporan diterima dan sedang diteruskan ke OPD yang bertanggung jawab.';
    case 'routed':
      return `Diteruskan ke ${opd}; menunggu diterima OPD.`;
    case 'accepted':
    case 'in_progress':
      return `Sedang ditangani ${opd}.`;
    case 'resolved':
      return `Dinyatakan selesai oleh ${opd}; menunggu konfirmasi pelapor.`;
    case 'tuntas':
      return 'Laporan sudah tuntas.';
    case 'rejected':
      return row.rejection_reason ? `Ditolak: ${row.rejection_reason}` : 'Ditolak.';
    case 'withdrawn':
      return 'Dibatalkan oleh pelapor.';
  }
}
