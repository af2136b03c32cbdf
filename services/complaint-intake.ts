// How a complete report becomes a complaint, whatever the channel: the WhatsApp conversation
// (through its activities) and Open311 both come through here, so a complaint is stored and
// started one way only.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { normalisePhone, type PiiCrypto } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as complaintsRepo from '../db/repositories/complaints';
import * as mediaRepo from '../db/repositories/media';
import type { ReportDraft } from '../domain/report';
import { formatTicketCode } from '../domain/report';
import { wibYear } from '../domain/time';
import { complaintWorkflow } from '../workflows/complaint';

export type IntakeChannel = 'whatsapp' | 'open311';

export interface SubmitReportDeps {
  db: Db;
  crypto: PiiCrypto;
  clock: () => Date;
  logger: Logger;
}

export interface SubmitReportInput {
  /** The same key always finds the same complaint: a retried submission stores nothing twice. */
  submissionKey: string;
  /** The reporter's number, '+62…' or 'whatsapp:+62…'; they are followed up on WhatsApp. */
  from: string;
  draft: ReportDraft;
  channel?: IntakeChannel;
}

export interface SubmittedReport {
  ticketCode: string;
  complaintId: number;
  /** False when the submission key had already been stored. */
  created: boolean;
}

/** A report without name, address, NIK, description or category cannot become a complaint. */
export class IncompleteReportError extends Error {
  override readonly name = 'IncompleteReportError';
  constructor() {
    super('The report is not complete');
  }
}

/** Stores a complete report once per submission key and gives it a ticket code. */
export async function submitReport(deps: SubmitReportDeps, input: SubmitReportInput): Promise<SubmittedReport> {
  const { db, crypto, clock, logger } = deps;
  const { draft } = input;
  if (!draft.name || !draft.address || !draft.nik || !draft.description || !draft.category) throw new IncompleteReportError();
  const { name, address, nik, description, category } = draft;
  const phone = normalisePhone(input.from);
  const channel = input.channel ?? 'whatsapp';
  return db.transaction().execute(async (trx) => {
    const existing = await complaintsRepo.findBySubmissionKey(trx, input.submissionKey);
    if (existing) return { ticketCode: existing.ticket_code, complaintId: existing.id, created: false };
    const now = clock();
    const year = wibYear(now);
    const ticketCode = formatTicketCode(year, await complaintsRepo.nextTicketNumber(trx, year));
    const reporterId = await complaintsRepo.upsertReporter(trx, crypto.lookupHash('phone', phone), crypto.encrypt(phone));
    const complaint = await complaintsRepo.insertComplaint(trx, {
      ticket_code: ticketCode,
      submission_key: input.submissionKey,
      reporter_id: reporterId,
      reporter_name_enc: crypto.encrypt(name),
      reporter_address_enc: crypto.encrypt(address),
      nik_enc: crypto.encrypt(nik),
      nik_hash: crypto.lookupHash('nik', nik),
      outside_regency: draft.outsideRegency ?? false,
      kind: draft.kind,
      category,
      category_inferred: draft.categoryInferred ?? false,
      description,
      location_text: draft.locationText ?? null,
      kecamatan: draft.kecamatan ?? null,
      latitude: draft.latitude ?? null,
      longitude: draft.longitude ?? null,
      status: 'received',
      opd_unit_id: null,
      submitted_at: now,
    });
    await mediaRepo.attachToComplaint(trx, draft.evidence.map((e) => e.mediaId), complaint.id);
    await complaintsRepo.appendEvent(trx, {
      complaintId: complaint.id,
      type: 'received',
      actor: 'citizen',
      data: { kind: draft.kind, category, evidence: draft.evidence.length, outsideRegency: draft.outsideRegency ?? false, channel },
    });
    logger.info({ ticketCode, category, kind: draft.kind, channel }, 'Complaint received');
    return { ticketCode, complaintId: complaint.id, created: true };
  });
}

export interface StartComplaintDeps {
  client: Client;
  taskQueue: string;
}

/** Starts the complaint's own workflow, with the ticket code as its ID; once, however often called. */
export async function startComplaint(deps: StartComplaintDeps, input: { ticketCode: string; complaintId: number; sendReceipt?: boolean }): Promise<void> {
  try {
    await deps.client.workflow.start(complaintWorkflow, {
      workflowId: input.ticketCode,
      taskQueue: deps.taskQueue,
      args: [{ ticketCode: input.ticketCode, complaintId: input.complaintId, ...(input.sendReceipt ? { sendReceipt: true } : {}) }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
