import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { PiiCrypto } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as complaintsRepo from '../db/repositories/complaints';
import * as holidaysRepo from '../db/repositories/holidays';
import * as opdRepo from '../db/repositories/opd';
import * as policiesRepo from '../db/repositories/policies';
import { officialNewComplaintText, receiptText } from '../domain/messages';
import * as mediaRepo from '../db/repositories/media';
import type { LifecyclePolicy } from '../domain/policy';
import type { ComplaintStatus } from '../workflows/complaint';
import type { MessageKind, Messenger } from './messaging';

export interface ComplaintActivityDeps {
  db: Db;
  crypto: PiiCrypto;
  messenger: Messenger;
  logger: Logger;
}

/** The I/O of the complaint workflow: routing, the timeline, policy and calendar, notifications. */
export function createComplaintActivities({ db, crypto, messenger, logger }: ComplaintActivityDeps) {
  async function complaintOrFail(ticketCode: string) {
    const complaint = await complaintsRepo.findByTicketCode(db, ticketCode);
    if (!complaint) throw ApplicationFailure.create({ type: 'ComplaintNotFound', nonRetryable: true, message: `No complaint ${ticketCode}` });
    return complaint;
  }

  /** A citizen who cannot be reached (invalid or blocked number) shows on the timeline; the complaint goes on. */
  async function notifyCitizen(input: { complaintId: number; ticketCode: string; text: string; kind: MessageKind; idempotencyKey: string }): Promise<{ delivered: boolean }> {
    const complaint = await complaintOrFail(input.ticketCode);
    const phoneEnc = await complaintsRepo.findReporterPhoneEnc(db, complaint.reporter_id);
    try {
      await messenger.deliver({ idempotencyKey: input.idempotencyKey, to: crypto.decrypt(phoneEnc!), text: input.text, kind: input.kind, complaintId: complaint.id });
      return { delivered: true };
    } catch (err) {
      if (!isPermanentSendError(err)) throw err;
      await complaintsRepo.appendEvent(db, {
        complaintId: complaint.id,
        type: 'message_failed',
        actor: 'system',
        data: { audience: 'citizen', reason: err.message },
        idempotencyKey: `${input.idempotencyKey}:failed`,
      });
      return { delivered: false };
    }
  }

  return {
    /** Sends the complaint to an OPD: the one given, or the one serving its category. */
    async routeComplaint(input: { complaintId: number; ticketCode: string; opdUnitId?: number }): Promise<{ opdUnitId: number; opdCode: string; opdName: string; summary: string }> {
      const complaint = await complaintOrFail(input.ticketCode);
      const unit = input.opdUnitId ? await opdRepo.findUnitById(db, input.opdUnitId) : await opdRepo.findUnitForCategory(db, complaint.category);
      if (!unit) throw ApplicationFailure.create({ type: 'NoRoute', nonRetryable: true, message: `No OPD for ${input.ticketCode}` });
      await db.transaction().execute(async (trx) => {
        await complaintsRepo.updateComplaint(trx, complaint.id, { status: 'routed', opd_unit_id: unit.id, escalation_level: 1 });
        await complaintsRepo.appendEvent(trx, {
          complaintId: complaint.id,
          type: 'routed',
          actor: 'system',
          data: { opdCode: unit.code },
          idempotencyKey: `${input.ticketCode}:routed:${unit.code}`,
        });
      });
      // The summary goes into escalation messages: what the complaint is about, never who sent it.
      return { opdUnitId: unit.id, opdCode: unit.code, opdName: unit.name, summary: complaint.description };
    },

    /** The policy in force and the holidays ahead, both maintained by admins. */
    async loadLifecycleContext(input: { from: string; years: number }): Promise<{ policy: LifecyclePolicy; holidays: string[] }> {
      const from = new Date(input.from);
      const to = new Date(from.getTime() + input.years * 366 * 24 * 60 * 60 * 1000);
      const [policy, holidays] = await Promise.all([policiesRepo.findActivePolicy(db), holidaysRepo.listActiveHolidayKeys(db, from, to)]);
      if (!policy) throw ApplicationFailure.create({ type: 'NoActivePolicy', nonRetryable: true, message: 'No active lifecycle policy' });
      return { policy: { ...(policy.data as Omit<LifecyclePolicy, 'version'>), version: policy.version }, holidays };
    },

    /**
     * Writes a transition to the complaint row and its timeline, once per idempotency key. Also
     * keeps the columns the admin API filters and counts on: reopen_count (a citizen's dispute or
     * an admin's reopening) and overdue_since (the missed deadline the complaint is late on).
     */
    async recordTransition(input: {
      complaintId: number;
      ticketCode: string;
      status: ComplaintStatus;
      event: { type: string; actor: string; data: Record<string, unknown> };
      changes: {
        opdUnitId?: number;
        difficulty?: string;
        policyVersion?: number;
        acceptedAt?: string;
        targetAt?: string;
        escalationLevel: number;
        rating?: number;
      };
      idempotencyKey: string;
    }): Promise<void> {
      const c = input.changes;
      const { type, data } = input.event;
      await db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('complaints')
          .select(['status', 'overdue_since', 'reopen_count', 'resolved_at', 'closed_at'])
          .where('id', '=', input.complaintId)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw ApplicationFailure.create({ type: 'ComplaintNotFound', nonRetryable: true, message: `No complaint ${input.ticketCode}` });
        // The event first: a retried activity finds it there and counts nothing twice.
        const inserted = await trx
          .insertInto('complaint_events')
          .values({ complaint_id: input.complaintId, type, actor: input.event.actor, data: JSON.stringify(data), idempotency_key: input.idempotencyKey })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .returning('id')
          .executeTakeFirst();
        const now = new Date();
        const entered = (status: ComplaintStatus) => input.status === status && current.status !== status;
        await complaintsRepo.updateComplaint(trx, input.complaintId, {
          status: input.status,
          opd_unit_id: c.opdUnitId ?? null,
          difficulty: c.difficulty ?? null,
          policy_version: c.policyVersion ?? null,
          accepted_at: c.acceptedAt ?? null,
          target_at: c.targetAt ?? null,
          escalation_level: c.escalationLevel,
          rating: c.rating ?? null,
          // Stamped when the status is entered, not again by a note or a rating made in it.
          resolved_at: entered('resolved') ? now : current.resolved_at,
          closed_at: CLOSED.includes(input.status) ? (CLOSED.includes(current.status) ? current.closed_at : now) : null,
          ...(input.status === 'rejected' ? { rejection_reason: String(data.reason ?? '') } : {}),
          reopen_count: current.reopen_count + (inserted && REOPENING_EVENTS.includes(type) ? 1 : 0),
          overdue_since: overdueSince(current.overdue_since, input.status, input.event, c.targetAt, now),
        });
      });
    },

    /**
     * The receipt for a complaint that did not come in over WhatsApp (Open311): the same text the
     * conversation sends, built here so that no personal data travels through workflow history.
     */
    async sendReceipt(input: { complaintId: number; ticketCode: string }): Promise<{ delivered: boolean }> {
      const complaint = await complaintOrFail(input.ticketCode);
      const evidence = await mediaRepo.listForComplaint(db, complaint.id);
      const text = receiptText({
        ticketCode: complaint.ticket_code,
        draft: {
          name: crypto.decrypt(complaint.reporter_name_enc),
          nik: crypto.decrypt(complaint.nik_enc),
          outsideRegency: complaint.outside_regency,
          kind: complaint.kind,
          category: complaint.category,
          categoryInferred: complaint.category_inferred,
          description: complaint.description,
          kecamatan: complaint.kecamatan ?? undefined,
          evidence: evidence.map((m) => ({ mediaId: m.id, contentType: m.content_type, sizeBytes: m.size_bytes })),
        },
      });
      return notifyCitizen({ complaintId: complaint.id, ticketCode: complaint.ticket_code, text, kind: 'receipt', idempotencyKey: `${complaint.ticket_code}:receipt` });
    },

    notifyCitizen,

    /**
     * Tells the officials who hold a level now (looked up at sending time: over years people
     * change). Levels 1 and 2 belong to the complaint's OPD; 3 and 4 are regency-wide. Without a
     * text, it announces the new complaint with its details (never the reporter's identity).
     */
    async notifyOfficials(input: {
      complaintId: number;
      ticketCode: string;
      opdUnitId: number | null;
      level: number;
      text?: string;
      kind: MessageKind;
      idempotencyKey: string;
    }): Promise<{ notified: number; failed: number }> {
      const complaint = await complaintOrFail(input.ticketCode);
      const unit = input.opdUnitId ? await opdRepo.findUnitById(db, input.opdUnitId) : undefined;
      const officials = await opdRepo.findActiveOfficials(db, input.level >= 3 ? null : input.opdUnitId, input.level);
      if (officials.length === 0) logger.warn({ ticketCode: input.ticketCode, level: input.level }, 'No active official to notify');
      const text =
        input.text ??
        officialNewComplaintText({
          ticketCode: complaint.ticket_code,
          kind: complaint.kind,
          category: complaint.category,
          description: complaint.description,
          kecamatan: complaint.kecamatan ?? undefined,
          opdName: unit?.name ?? '-',
        });
      let failed = 0;
      for (const official of officials) {
        try {
          await messenger.deliver({ idempotencyKey: `${input.idempotencyKey}:${official.id}`, to: crypto.decrypt(official.phone_enc), text, kind: input.kind, complaintId: complaint.id });
        } catch (err) {
          // One unreachable official must not keep the others from hearing of the complaint.
          if (!isPermanentSendError(err)) throw err;
          failed += 1;
        }
      }
      await complaintsRepo.appendEvent(db, {
        complaintId: complaint.id,
        type: 'officials_notified',
        actor: 'system',
        data: { level: input.level, kind: input.kind, notified: officials.length - failed, failed },
        idempotencyKey: `${input.idempotencyKey}:notified`,
      });
      return { notified: officials.length - failed, failed };
    },
  };
}

const CLOSED: ComplaintStatus[] = ['tuntas', 'rejected', 'withdrawn'];
const REOPENING_EVENTS = ['disputed', 'reopened'];
/** Escalations for a missed deadline; an admin's escalation ('admin') makes nothing overdue. */
const MISSED_DEADLINES = ['accept', 'progress', 'target'];
/** The step that was missing is done: the complaint is no longer late. */
const CATCHING_UP_EVENTS = ['accepted', 'rerouted', 'resolved'];

/** Since when the complaint is late on a missed deadline, after this transition; null when it is not. */
function overdueSince(
  current: Date | null,
  status: ComplaintStatus,
  event: { type: string; data: Record<string, unknown> },
  targetAt: string | undefined,
  now: Date,
): Date | null {
  if (CLOSED.includes(status) || CATCHING_UP_EVENTS.includes(event.type)) return null;
  if (event.type === 'escalated' && MISSED_DEADLINES.includes(String(event.data.what)) && typeof event.data.dueAt === 'string') {
    return current ?? new Date(event.data.dueAt);
  }
  // A progress report makes up for a missed one, not for a target that has passed.
  if (event.type === 'progress_reported') return targetAt && Date.parse(targetAt) <= now.getTime() ? current : null;
  return current;
}

export function isPermanentSendError(err: unknown): err is ApplicationFailure {
  return err instanceof ApplicationFailure && err.type === 'PermanentSendError';
}

export type ComplaintActivities = ReturnType<typeof createComplaintActivities>;
