import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PiiCrypto } from '../app/pii-crypto';
import { normalisePhone } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as complaintsRepo from '../db/repositories/complaints';
import * as mediaRepo from '../db/repositories/media';
import * as messagesRepo from '../db/repositories/messages';
import * as opdRepo from '../db/repositories/opd';
import { officialNewComplaintText } from '../domain/messages';
import { splitForWhatsApp } from '../domain/whatsapp-text';
import type { ComplaintStatus, EvidenceRef, ReportDraft } from '../domain/report';
import { formatTicketCode } from '../domain/report';
import { wibYear } from '../domain/time';
import { downloadTwilioMedia, MediaTooLargeError, MediaTypeNotAllowedError, MediaUnavailableError } from './media/download';
import type { MediaStorage } from './media/storage';
import { PermanentSendError, type WhatsAppSender } from './twilio/whatsapp-sender';
import { complaintWorkflow } from '../workflows/complaint';

export interface ActivityDeps {
  db: Db;
  crypto: PiiCrypto;
  /** Starts complaint workflows on the worker's own task queue. */
  temporal: { client: Client; taskQueue: string };
  sender: WhatsAppSender;
  storage: MediaStorage;
  logger: Logger;
  clock: () => Date;
  media: {
    maxBytes: number;
    /** Twilio media URLs need the account's credentials; absent in sandbox mode. */
    credentials?: { accountSid: string; authToken: string };
    apiBaseUrl?: string;
  };
}

export type SaveEvidenceResult =
  | { outcome: 'saved'; evidence: EvidenceRef }
  | { outcome: 'too_large'; maxMegabytes: number }
  | { outcome: 'not_allowed' }
  | { outcome: 'unavailable' };

export type StatusLookup =
  | { found: true; status: ComplaintStatus; opdName?: string; submittedAt: string }
  | { found: false };

/** All I/O of the workflows. Built once per worker with its dependencies. */
export function createActivities(deps: ActivityDeps) {
  const { db, crypto, sender, storage, logger, clock } = deps;

  /** Records the message under its key before sending, and sends it only if it never went out. */
  async function deliver(message: { idempotencyKey: string; to: string; text: string; complaintId?: number }) {
    const phone = normalisePhone(message.to);
    const parts = splitForWhatsApp(message.text);
    const sids: string[] = [];
    for (const [index, part] of parts.entries()) {
      const key = parts.length === 1 ? message.idempotencyKey : `${message.idempotencyKey}:${index}`;
      const row = await messagesRepo.insertOutboundOnce(db, {
        idempotencyKey: key,
        phoneHash: crypto.lookupHash('phone', phone),
        phoneEnc: crypto.encrypt(phone),
        contentEnc: crypto.encrypt(JSON.stringify({ body: part })),
        complaintId: message.complaintId ?? null,
      });
      if (row.twilio_sid) {
        sids.push(row.twilio_sid);
        continue;
      }
      if (row.status === 'failed') throw permanentSendFailure(row.error_code ?? 'unknown');
      try {
        const sent = await sender.send({ to: `whatsapp:${phone}`, body: part });
        await messagesRepo.markOutboundSent(db, row.id, sent.sid, sent.status);
        sids.push(sent.sid);
      } catch (err) {
        if (err instanceof PermanentSendError) {
          await messagesRepo.markOutboundFailed(db, row.id, String(err.code ?? 'unknown'));
          logger.warn({ messageId: row.id, code: err.code }, 'WhatsApp message refused permanently');
          throw permanentSendFailure(String(err.code ?? 'unknown'));
        }
        throw err;
      }
    }
    return { sids };
  }

  return {
    async sendWhatsApp(input: { idempotencyKey: string; to: string; text: string; complaintId?: number }): Promise<{ sids: string[] }> {
      return deliver(input);
    },

    async saveEvidence(input: {
      inboundMessageId: number;
      mediaIndex: number;
      url: string;
      contentType: string;
    }): Promise<SaveEvidenceResult> {
      const existing = await mediaRepo.findByMessageIndex(db, input.inboundMessageId, input.mediaIndex);
      if (existing) return { outcome: 'saved', evidence: toEvidence(existing) };
      try {
        const file = await downloadTwilioMedia(input.url, {
          accountSid: deps.media.credentials?.accountSid,
          authToken: deps.media.credentials?.authToken,
          maxBytes: deps.media.maxBytes,
          apiBaseUrl: deps.media.apiBaseUrl,
          declaredContentType: input.contentType,
        });
        const id = randomUUID();
        const now = clock();
        const storageKey = `evidence/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
        await storage.put(storageKey, file.data, file.contentType);
        const saved = await mediaRepo.insertMediaOnce(db, {
          id,
          inbound_message_id: input.inboundMessageId,
          media_index: input.mediaIndex,
          content_type: file.contentType,
          size_bytes: file.sizeBytes,
          sha256: file.sha256,
          storage_key: storageKey,
        });
        return { outcome: 'saved', evidence: toEvidence(saved) };
      } catch (err) {
        if (err instanceof MediaTooLargeError) return { outcome: 'too_large', maxMegabytes: Math.floor(deps.media.maxBytes / 1024 / 1024) };
        if (err instanceof MediaTypeNotAllowedError) return { outcome: 'not_allowed' };
        if (err instanceof MediaUnavailableError) return { outcome: 'unavailable' };
        throw err;
      }
    },

    /** Stores a complete report once per submission key and gives it a ticket code. */
    async submitReport(input: { submissionKey: string; from: string; draft: ReportDraft }): Promise<{ ticketCode: string; complaintId: number }> {
      const { draft } = input;
      if (!draft.name || !draft.address || !draft.nik || !draft.description || !draft.category) {
        throw ApplicationFailure.create({ type: 'IncompleteReport', nonRetryable: true, message: 'The report is not complete' });
      }
      const phone = normalisePhone(input.from);
      return db.transaction().execute(async (trx) => {
        const existing = await complaintsRepo.findBySubmissionKey(trx, input.submissionKey);
        if (existing) return { ticketCode: existing.ticket_code, complaintId: existing.id };
        const now = clock();
        const year = wibYear(now);
        const ticketCode = formatTicketCode(year, await complaintsRepo.nextTicketNumber(trx, year));
        const reporterId = await complaintsRepo.upsertReporter(trx, crypto.lookupHash('phone', phone), crypto.encrypt(phone));
        const complaint = await complaintsRepo.insertComplaint(trx, {
          ticket_code: ticketCode,
          submission_key: input.submissionKey,
          reporter_id: reporterId,
          reporter_name_enc: crypto.encrypt(draft.name!),
          reporter_address_enc: crypto.encrypt(draft.address!),
          nik_enc: crypto.encrypt(draft.nik!),
          nik_hash: crypto.lookupHash('nik', draft.nik!),
          outside_regency: draft.outsideRegency ?? false,
          kind: draft.kind,
          category: draft.category!,
          category_inferred: draft.categoryInferred ?? false,
          description: draft.description!,
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
          data: { kind: draft.kind, category: draft.category, evidence: draft.evidence.length, outsideRegency: draft.outsideRegency ?? false },
        });
        logger.info({ ticketCode, category: draft.category, kind: draft.kind }, 'Complaint received');
        return { ticketCode, complaintId: complaint.id };
      });
    },

    /** Starts the complaint's own workflow, with the ticket code as its ID; once, however often called. */
    async startComplaint(input: { ticketCode: string; complaintId: number }): Promise<void> {
      try {
        await deps.temporal.client.workflow.start(complaintWorkflow, {
          workflowId: input.ticketCode,
          taskQueue: deps.temporal.taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },

    /** A complaint's status, only for the number that reported it. */
    async lookupStatus(input: { ticketCode: string; from: string }): Promise<StatusLookup> {
      const complaint = await complaintsRepo.findByTicketCode(db, input.ticketCode);
      if (!complaint) return { found: false };
      const reporterHash = await complaintsRepo.findReporterPhoneHash(db, complaint.reporter_id);
      if (reporterHash !== crypto.lookupHash('phone', normalisePhone(input.from))) return { found: false };
      const unit = complaint.opd_unit_id ? await opdRepo.findUnitById(db, complaint.opd_unit_id) : undefined;
      return { found: true, status: complaint.status, opdName: unit?.name, submittedAt: complaint.submitted_at.toISOString() };
    },

    /** Sends the complaint to the OPD responsible for its category. */
    async routeComplaint(input: { complaintId: number; ticketCode: string }): Promise<{ opdUnitId: number; opdCode: string; opdName: string }> {
      const complaint = await complaintsRepo.findByTicketCode(db, input.ticketCode);
      if (!complaint) throw ApplicationFailure.create({ type: 'ComplaintNotFound', nonRetryable: true, message: `No complaint ${input.ticketCode}` });
      const unit = await opdRepo.findUnitForCategory(db, complaint.category);
      if (!unit) throw ApplicationFailure.create({ type: 'NoRouteForCategory', nonRetryable: true, message: `No OPD serves ${complaint.category}` });
      await db.transaction().execute(async (trx) => {
        await complaintsRepo.updateComplaint(trx, complaint.id, { status: 'routed', opd_unit_id: unit.id });
        await complaintsRepo.appendEvent(trx, {
          complaintId: complaint.id,
          type: 'routed',
          actor: 'system',
          data: { opdCode: unit.code },
          idempotencyKey: `${input.ticketCode}:routed:${unit.code}`,
        });
      });
      return { opdUnitId: unit.id, opdCode: unit.code, opdName: unit.name };
    },

    /** Tells the officials who hold a level of an OPD now (looked up at sending time). */
    async notifyOfficials(input: {
      complaintId: number;
      ticketCode: string;
      opdUnitId: number;
      level: number;
      purpose: 'new_complaint';
    }): Promise<{ notified: number; failed: number }> {
      const complaint = await complaintsRepo.findByTicketCode(db, input.ticketCode);
      const unit = await opdRepo.findUnitById(db, input.opdUnitId);
      if (!complaint || !unit) throw ApplicationFailure.create({ type: 'ComplaintNotFound', nonRetryable: true, message: `No complaint ${input.ticketCode}` });
      const officials = await opdRepo.findActiveOfficials(db, input.opdUnitId, input.level);
      if (officials.length === 0) logger.warn({ ticketCode: input.ticketCode, opdCode: unit.code, level: input.level }, 'No active official to notify');
      const text = officialNewComplaintText({
        ticketCode: complaint.ticket_code,
        kind: complaint.kind,
        category: complaint.category,
        description: complaint.description,
        kecamatan: complaint.kecamatan ?? undefined,
        opdName: unit.name,
      });
      let failed = 0;
      for (const official of officials) {
        try {
          await deliver({
            idempotencyKey: `${input.ticketCode}:${input.purpose}:${input.level}:${official.id}`,
            to: crypto.decrypt(official.phone_enc),
            text,
            complaintId: complaint.id,
          });
        } catch (err) {
          // One unreachable official must not keep the others from hearing of the complaint.
          if (!(err instanceof ApplicationFailure && err.type === 'PermanentSendError')) throw err;
          failed += 1;
        }
      }
      await complaintsRepo.appendEvent(db, {
        complaintId: complaint.id,
        type: 'officials_notified',
        actor: 'system',
        data: { level: input.level, notified: officials.length - failed, failed },
        idempotencyKey: `${input.ticketCode}:${input.purpose}:${input.level}:notified`,
      });
      return { notified: officials.length - failed, failed };
    },
  };
}

function toEvidence(media: mediaRepo.Media): EvidenceRef {
  return { mediaId: media.id, contentType: media.content_type, sizeBytes: media.size_bytes };
}

function permanentSendFailure(code: string) {
  return ApplicationFailure.create({
    type: 'PermanentSendError',
    nonRetryable: true,
    message: `WhatsApp message refused permanently (Twilio error ${code})`,
  });
}

export type Activities = ReturnType<typeof createActivities>;
export type ConversationActivities = Pick<Activities, 'sendWhatsApp' | 'saveEvidence' | 'submitReport' | 'startComplaint' | 'lookupStatus'>;
export type ComplaintActivities = Pick<Activities, 'routeComplaint' | 'notifyOfficials'>;
