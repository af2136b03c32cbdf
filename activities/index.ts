import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PiiCrypto } from '../app/pii-crypto';
import { normalisePhone } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as complaintsRepo from '../db/repositories/complaints';
import * as mediaRepo from '../db/repositories/media';
import * as opdRepo from '../db/repositories/opd';
import type { ComplaintStatus, EvidenceRef, ReportDraft } from '../domain/report';
import * as intake from '../services/complaint-intake';
import { downloadTwilioMedia, MediaTooLargeError, MediaTypeNotAllowedError, MediaUnavailableError } from './media/download';
import type { MediaStorage } from './media/storage';
import { createCommandActivities } from './command-activities';
import { createComplaintActivities, isPermanentSendError } from './complaint-activities';
import type { Messenger } from './messaging';

export interface ActivityDeps {
  db: Db;
  crypto: PiiCrypto;
  /** Starts complaint workflows on the worker's own task queue. */
  temporal: { client: Client; taskQueue: string };
  /** Sends WhatsApp messages once each, free-form or as a template (activities/messaging.ts). */
  messenger: Messenger;
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
  const { db, crypto, messenger, storage, logger, clock } = deps;

  return {
    /** A reply that can never be delivered (invalid or blocked number) is logged, not retried; the dialogue goes on. */
    async sendWhatsApp(input: { idempotencyKey: string; to: string; text: string; complaintId?: number }): Promise<{ sids: string[] }> {
      try {
        // The citizen has just written, so a reply goes free-form; a late one (after the window
        // closed) goes out as the 'reply' template.
        const { sids } = await messenger.deliver({ ...input, kind: 'reply' });
        return { sids };
      } catch (err) {
        if (!isPermanentSendError(err)) throw err;
        logger.warn({ idempotencyKey: input.idempotencyKey }, 'Reply could not be delivered');
        return { sids: [] };
      }
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
      try {
        const { ticketCode, complaintId } = await intake.submitReport({ db, crypto, clock, logger }, { ...input, channel: 'whatsapp' });
        return { ticketCode, complaintId };
      } catch (err) {
        if (err instanceof intake.IncompleteReportError) {
          throw ApplicationFailure.create({ type: 'IncompleteReport', nonRetryable: true, message: err.message });
        }
        throw err;
      }
    },

    /** Starts the complaint's own workflow, with the ticket code as its ID; once, however often called. */
    async startComplaint(input: { ticketCode: string; complaintId: number }): Promise<void> {
      await intake.startComplaint(deps.temporal, input);
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

    ...createComplaintActivities({ db, crypto, messenger, logger }),
    ...createCommandActivities({ db, crypto, temporal: deps.temporal }),
  };
}

function toEvidence(media: mediaRepo.Media): EvidenceRef {
  return { mediaId: media.id, contentType: media.content_type, sizeBytes: media.size_bytes };
}

export type Activities = ReturnType<typeof createActivities>;
export type ConversationActivities = Pick<
  Activities,
  'sendWhatsApp' | 'saveEvidence' | 'submitReport' | 'startComplaint' | 'lookupStatus' | 'handleCitizenCommand'
>;
