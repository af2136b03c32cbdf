import type { AuthContext } from '../api/http/route';
import { badRequest, forbidden, notFound } from '../api/http/problem';
import type { ApiDeps } from '../api/v1/deps';
import * as queriesRepo from '../db/repositories/complaint-queries';
import type { ComplaintFilter, ComplaintDetailRow, ComplaintListRow, Keyset, ReporterColumns } from '../db/repositories/complaint-queries';
import * as opdRepo from '../db/repositories/opd';
import { maskName, maskNik, maskPhone } from '../domain/masking';
import type { Category, ComplaintStatus, ReportKind } from '../domain/report';
import { complaintViewQuery, type ComplaintView, type TimerKind } from '../workflows/complaint';
import { audit } from './audit';

// The read side of complaints for the admin API: who may see what, masking, the audit of every
// reveal of personal data, and the CSV export. The routes validate; the repository reads.

/** The filters as the API takes them: the OPD by its code. */
export interface ComplaintQuery extends Omit<ComplaintFilter, 'opdUnitId' | 'statuses'> {
  status?: ComplaintStatus[];
  opd?: string;
}

type Iso = string;

export interface ComplaintSummary {
  ticketCode: string;
  kind: ReportKind;
  category: Category;
  status: ComplaintStatus;
  opd: { code: string; name: string } | null;
  kecamatan: string | null;
  difficulty: string | null;
  escalationLevel: number;
  overdueSince: Iso | null;
  submittedAt: Iso;
  acceptedAt: Iso | null;
  targetAt: Iso | null;
  resolvedAt: Iso | null;
  closedAt: Iso | null;
  rating: number | null;
  description: string;
  /** Masked; absent for viewers. */
  reporter?: { name: string; nik: string };
}

export interface ComplaintPage {
  items: ComplaintSummary[];
  nextCursor: string | null;
}

export interface ComplaintDetail extends Omit<ComplaintSummary, 'reporter'> {
  location: { text: string | null; kecamatan: string | null; latitude: number | null; longitude: number | null };
  outsideRegency: boolean;
  categoryInferred: boolean;
  policyVersion: number | null;
  rejectionReason: string | null;
  reopenCount: number;
  /** In clear for admin, operator and opd (an audited reveal); name and NIK masked for viewers. */
  reporter: { name: string; nik: string; address?: string; phone?: string };
  deadlines: {
    /** 'workflow' when the complaint's workflow answered; 'database' when it did not (closed long ago). */
    source: 'workflow' | 'database';
    nextDeadline: { kind: TimerKind; at: Iso } | null;
    targetAt: Iso | null;
    confirmBy: Iso | null;
  };
  responsible: Array<{ id: number; role: string; level: number; name: string; phone: string }>;
  timeline: {
    events: Array<{ id: number; type: string; actor: string; data: Record<string, unknown>; at: Iso }>;
    messages: Array<{
      id: number;
      direction: 'inbound' | 'outbound';
      /** Whether the other side was the citizen who reported or an official. */
      counterpart: 'citizen' | 'official';
      status: string;
      errorCode: string | null;
      templateKind: string | null;
      /** Absent for viewers. */
      text?: string;
      at: Iso;
    }>;
  };
  media: Array<{ id: string; contentType: string; sizeBytes: number; url: string }>;
}

/** Rows per query of the CSV export. */
export const EXPORT_BATCH_SIZE = 1000;
/** How long the detail waits for the complaint workflow before it reads the deadlines from the database. */
const WORKFLOW_QUERY_TIMEOUT_MS = 3000;

const iso = (value: Date | null): Iso | null => (value ? value.toISOString() : null);
const canSeePersonalData = (auth: AuthContext) => auth.role !== 'viewer';

/** What people wrote (notes, reasons, messages) may name someone, so viewers see only that it was written. */
const FREE_TEXT_KEYS = ['note', 'reason', 'text'];
const withoutFreeText = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([key]) => !FREE_TEXT_KEYS.includes(key)));

// ---- scope -----------------------------------------------------------------------------------

/** The filters as the repository takes them; an 'opd' token is held to its own OPD. */
async function resolveFilter(deps: ApiDeps, auth: AuthContext, query: ComplaintQuery): Promise<ComplaintFilter> {
  const { opd, status, ...filter } = query;
  let opdUnitId: number | undefined;
  if (opd !== undefined) {
    const unit = await opdRepo.findUnitByCode(deps.db, opd);
    if (!unit) throw badRequest(`There is no OPD with code ${opd}.`);
    opdUnitId = unit.id;
  }
  if (auth.role === 'opd') {
    if (opdUnitId !== undefined && opdUnitId !== auth.opdUnitId) throw forbidden('An OPD token sees only its own OPD’s complaints.');
    opdUnitId = auth.opdUnitId ?? -1;
  }
  return { ...filter, statuses: status, opdUnitId };
}

function assertMayRead(auth: AuthContext, complaint: { opd_unit_id: number | null }): void {
  if (auth.role === 'opd' && complaint.opd_unit_id !== auth.opdUnitId) throw forbidden('This complaint belongs to another OPD.');
}

// ---- cursor ----------------------------------------------------------------------------------

const KEYSET_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.submittedAt, keyset.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  try {
    const [submittedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof submittedAt === 'string' && KEYSET_INSTANT.test(submittedAt) && Number.isSafeInteger(id) && (id as number) > 0) {
      return { submittedAt, id: id as number };
    }
  } catch {
    // Falls through to the problem below.
  }
  throw badRequest('The cursor is not valid; take it from a previous page’s nextCursor.');
}

// ---- list ------------------------------------------------------------------------------------

/** What the list and the detail both show of a complaint. */
function summaryFields(row: ComplaintListRow | ComplaintDetailRow): Omit<ComplaintSummary, 'reporter'> {
  return {
    ticketCode: row.ticket_code,
    kind: row.kind,
    category: row.category,
    status: row.status,
    opd: row.opd_code && row.opd_name ? { code: row.opd_code, name: row.opd_name } : null,
    kecamatan: row.kecamatan,
    difficulty: row.difficulty,
    escalationLevel: row.escalation_level,
    overdueSince: iso(row.overdue_since),
    submittedAt: row.submitted_at.toISOString(),
    acceptedAt: iso(row.accepted_at),
    targetAt: iso(row.target_at),
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    rating: row.rating,
    description: row.description,
  };
}

function toSummary(row: ComplaintListRow, deps: ApiDeps): ComplaintSummary {
  return {
    ...summaryFields(row),
    ...(row.reporter_name_enc && row.nik_enc
      ? { reporter: { name: maskName(deps.crypto.decrypt(row.reporter_name_enc)), nik: maskNik(deps.crypto.decrypt(row.nik_enc)) } }
      : {}),
  };
}

/** A page of the list, newest first; no total count (it would cost a scan of every match). */
export async function listComplaintPage(deps: ApiDeps, auth: AuthContext, query: ComplaintQuery, page: { limit: number; cursor?: string }): Promise<ComplaintPage> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const filter = await resolveFilter(deps, auth, query);
  const reporter: ReporterColumns = canSeePersonalData(auth) ? 'masked' : 'none';
  // One row more than asked tells whether there is a next page.
  const rows = await queriesRepo.listComplaints(deps.db, filter, { limit: page.limit + 1, after, reporter });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => toSummary(row, deps)),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ submittedAt: last.keyset_at, id: last.id }) : null,
  };
}

// ---- detail ----------------------------------------------------------------------------------

async function workflowView(deps: ApiDeps, ticketCode: string): Promise<ComplaintView | undefined> {
  const { client } = deps.temporal;
  try {
    return await client.withDeadline(Date.now() + WORKFLOW_QUERY_TIMEOUT_MS, () => client.workflow.getHandle(ticketCode).query(complaintViewQuery));
  } catch (err) {
    deps.logger.debug({ ticketCode, err: { name: (err as Error)?.name } }, 'Complaint workflow did not answer; deadlines read from the database');
    return undefined;
  }
}

function messageText(deps: ApiDeps, contentEnc: string | null | undefined): string {
  if (!contentEnc) return '';
  const content = JSON.parse(deps.crypto.decrypt(contentEnc)) as { body?: unknown };
  return typeof content.body === 'string' ? content.body : '';
}

/**
 * A complaint with its timeline, deadlines and the officials answering for it now. For admin,
 * operator and opd the reporter and the officials are shown in clear, and that reveal is audited.
 */
export async function getComplaintDetail(deps: ApiDeps, auth: AuthContext, ticketCode: string): Promise<ComplaintDetail> {
  const { db, crypto } = deps;
  const row = await queriesRepo.findComplaintDetail(db, ticketCode);
  if (!row) throw notFound(`There is no complaint ${ticketCode}.`);
  assertMayRead(auth, row);
  const reveal = canSeePersonalData(auth);

  const [view, events, messages, media] = await Promise.all([
    workflowView(deps, ticketCode),
    queriesRepo.listEvents(db, row.id),
    queriesRepo.listMessages(db, row.id, reveal),
    queriesRepo.listMedia(db, row.id),
  ]);
  // The workflow is the source of truth; the row follows it through recordTransition.
  const level = view?.level ?? row.escalation_level;
  const officials = level <= 2 && row.opd_unit_id === null ? [] : await opdRepo.findActiveOfficials(db, level <= 2 ? row.opd_unit_id : null, level);

  const name = crypto.decrypt(row.reporter_name_enc);
  const nik = crypto.decrypt(row.nik_enc);
  const detail: ComplaintDetail = {
    ...summaryFields(row),
    location: { text: row.location_text, kecamatan: row.kecamatan, latitude: row.latitude, longitude: row.longitude },
    outsideRegency: row.outside_regency,
    categoryInferred: row.category_inferred,
    policyVersion: row.policy_version,
    rejectionReason: row.rejection_reason,
    reopenCount: row.reopen_count,
    reporter: reveal
      ? { name, nik, address: crypto.decrypt(row.reporter_address_enc), phone: crypto.decrypt(row.reporter_phone_enc) }
      : { name: maskName(name), nik: maskNik(nik) },
    deadlines: view
      ? { source: 'workflow', nextDeadline: view.nextDeadline ?? null, targetAt: view.targetAt ?? null, confirmBy: view.confirmBy ?? null }
      : { source: 'database', nextDeadline: null, targetAt: iso(row.target_at), confirmBy: null },
    responsible: officials.map((o) => {
      const officialName = crypto.decrypt(o.name_enc);
      return { id: o.id, role: o.role, level: o.level, name: reveal ? officialName : maskName(officialName), phone: maskPhone(crypto.decrypt(o.phone_enc)) };
    }),
    timeline: {
      events: events.map((e) => ({ id: e.id, type: e.type, actor: e.actor, data: reveal ? e.data : withoutFreeText(e.data), at: e.created_at.toISOString() })),
      messages: messages.map((m) => ({
        id: m.id,
        direction: m.direction,
        counterpart: m.phone_hash === row.reporter_phone_hash ? 'citizen' : 'official',
        status: m.status,
        errorCode: m.error_code,
        templateKind: m.template_kind,
        ...(reveal ? { text: messageText(deps, m.content_enc) } : {}),
        at: m.created_at.toISOString(),
      })),
    },
    media: media.map((m) => ({
      id: m.id,
      contentType: m.content_type,
      sizeBytes: m.size_bytes,
      url: `/api/v1/complaints/${encodeURIComponent(row.ticket_code)}/media/${encodeURIComponent(m.id)}`,
    })),
  };
  if (reveal) {
    await audit(db, auth, {
      action: 'complaint.reveal',
      resourceType: 'complaint',
      resourceId: row.ticket_code,
      details: { fields: ['reporter.name', 'reporter.nik', 'reporter.address', 'reporter.phone', 'responsible.name', 'timeline.messages.text'] },
    });
  }
  return detail;
}

// ---- evidence --------------------------------------------------------------------------------

/** Only what the intake accepts as evidence is served as its own type; anything else as bytes. */
function servedContentType(contentType: string): string {
  const type = contentType.toLowerCase().split(';')[0].trim();
  return /^(image|video)\/[a-z0-9.+-]+$/.test(type) ? type : 'application/octet-stream';
}

/** An evidence file of a complaint (audited: it may show people). */
export async function getComplaintMedia(deps: ApiDeps, auth: AuthContext, ticketCode: string, mediaId: string): Promise<{ data: Buffer; contentType: string }> {
  const complaint = await queriesRepo.findComplaintScope(deps.db, ticketCode);
  if (!complaint) throw notFound(`There is no complaint ${ticketCode}.`);
  assertMayRead(auth, complaint);
  const media = await queriesRepo.findComplaintMedia(deps.db, complaint.id, mediaId);
  if (!media) throw notFound(`Complaint ${ticketCode} has no evidence ${mediaId}.`);
  const stored = await deps.storage.get(media.storage_key);
  if (!stored) throw notFound(`The file of evidence ${mediaId} is missing from storage.`);
  await audit(deps.db, auth, { action: 'complaint.media.view', resourceType: 'complaint', resourceId: ticketCode, details: { mediaId } });
  return { data: stored.data, contentType: servedContentType(media.content_type) };
}

// ---- CSV export ------------------------------------------------------------------------------

const BASE_COLUMNS = [
  'ticket_code',
  'kind',
  'category',
  'status',
  'opd_code',
  'opd_name',
  'kecamatan',
  'difficulty',
  'escalation_level',
  'overdue_since',
  'submitted_at',
  'accepted_at',
  'target_at',
  'resolved_at',
  'closed_at',
  'rating',
  'description',
];

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (= + - @, tab, CR) gets
 * a leading single quote; numbers are written as they are.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: Array<string | number | null | undefined>) => cells.map(csvCell).join(',') + '\r\n';

export interface CsvExport {
  /** CSV text in pieces of up to EXPORT_BATCH_SIZE rows, header first. */
  chunks: AsyncGenerator<string>;
}

/**
 * Checks and audits an export, then gives its rows lazily: batches on the same keyset as the list,
 * so complaints arriving meanwhile neither repeat nor push rows out. Personal data is masked unless
 * an admin asks for it in clear; viewers get no reporter columns.
 */
export async function exportComplaintsCsv(deps: ApiDeps, auth: AuthContext, query: ComplaintQuery, options: { unmasked: boolean }): Promise<CsvExport> {
  if (options.unmasked && auth.role !== 'admin') throw forbidden('Only an admin may export personal data unmasked.');
  const filter = await resolveFilter(deps, auth, query);
  const reporter: ReporterColumns = options.unmasked ? 'clear' : canSeePersonalData(auth) ? 'masked' : 'none';
  await audit(deps.db, auth, { action: 'complaint.export', resourceType: 'complaint', resourceId: null, details: { unmasked: options.unmasked, filters: query } });

  const { crypto } = deps;
  const header = [
    ...BASE_COLUMNS,
    ...(reporter === 'none' ? [] : ['reporter_name', 'reporter_nik']),
    ...(reporter === 'clear' ? ['reporter_address', 'reporter_phone'] : []),
  ];
  const line = (row: ComplaintListRow) => {
    const cells: Array<string | number | null> = [
      row.ticket_code,
      row.kind,
      row.category,
      row.status,
      row.opd_code,
      row.opd_name,
      row.kecamatan,
      row.difficulty,
      row.escalation_level,
      iso(row.overdue_since),
      row.submitted_at.toISOString(),
      iso(row.accepted_at),
      iso(row.target_at),
      iso(row.resolved_at),
      iso(row.closed_at),
      row.rating,
      row.description,
    ];
    if (reporter !== 'none') {
      const name = crypto.decrypt(row.reporter_name_enc!);
      const nik = crypto.decrypt(row.nik_enc!);
      cells.push(reporter === 'clear' ? name : maskName(name), reporter === 'clear' ? nik : maskNik(nik));
    }
    if (reporter === 'clear') {
      cells.push(crypto.decrypt(row.reporter_address_enc!), row.reporter_phone_enc ? crypto.decrypt(row.reporter_phone_enc) : null);
    }
    return csvLine(cells);
  };

  async function* chunks(): AsyncGenerator<string> {
    yield csvLine(header);
    let after: Keyset | undefined;
    for (;;) {
      const rows = await queriesRepo.listComplaints(deps.db, filter, { limit: EXPORT_BATCH_SIZE, after, reporter, fullDescription: true });
      if (rows.length > 0) yield rows.map(line).join('');
      if (rows.length < EXPORT_BATCH_SIZE) return;
      const last = rows[rows.length - 1];
      after = { submittedAt: last.keyset_at, id: last.id };
    }
  }
  return { chunks: chunks() };
}
