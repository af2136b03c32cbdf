import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { PiiCrypto } from '../app/pii-crypto';
import { normalisePhone } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as complaintsRepo from '../db/repositories/complaints';
import * as opdRepo from '../db/repositories/opd';
import type { Official } from '../db/schema';
import { parseCitizenCommand, parseOfficialCommand, type CitizenCommand, type OfficialCommand } from '../domain/commands';
import * as texts from '../domain/lifecycle-messages';
import { statusNotFoundText } from '../domain/messages';
import {
  acceptUpdate,
  confirmUpdate,
  disputeUpdate,
  progressUpdate,
  rateUpdate,
  rejectUpdate,
  rerouteUpdate,
  resolveUpdate,
  withdrawUpdate,
  type Actor,
  type ComplaintView,
} from '../workflows/complaint';

export interface CommandActivityDeps {
  db: Db;
  crypto: PiiCrypto;
  temporal: { client: Client };
}

type Outcome = { ok: true; view: ComplaintView } | { ok: false; reason: string };

/**
 * Carries officials' and citizens' WhatsApp commands into complaint workflows as updates. The
 * update ID comes from the inbound message, so a retried activity gets the first answer back
 * instead of a second action.
 */
export function createCommandActivities({ db, crypto, temporal }: CommandActivityDeps) {
  async function update(ticketCode: string, run: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<ComplaintView>): Promise<Outcome> {
    try {
      return { ok: true, view: await run(temporal.client.workflow.getHandle(ticketCode)) };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { ok: false, reason: `Kode laporan ${ticketCode} tidak ditemukan.` };
      if (err instanceof WorkflowUpdateFailedError) return { ok: false, reason: err.cause?.message ?? 'Perintah ditolak.' };
      throw err;
    }
  }

  async function actAsOfficial(official: Official, command: Exclude<OfficialCommand, { type: 'list' | 'info' }>, updateId: string): Promise<string> {
    const actor: Actor = { kind: 'official', officialId: official.id, opdUnitId: official.opd_unit_id, level: official.level };
    const options = <T>(args: T) => ({ args: [args] as [T], updateId });
    let outcome: Outcome;
    switch (command.type) {
      case 'accept':
        outcome = await update(command.ticketCode, (h) => h.executeUpdate(acceptUpdate, options({ actor, difficulty: command.difficulty })));
        break;
      case 'progress':
        outcome = await update(command.ticketCode, (h) => h.executeUpdate(progressUpdate, options({ actor, note: command.note })));
        break;
      case 'resolve':
        outcome = await update(command.ticketCode, (h) => h.executeUpdate(resolveUpdate, options({ actor, note: command.note })));
        break;
      case 'reject':
        outcome = await update(command.ticketCode, (h) => h.executeUpdate(rejectUpdate, options({ actor, reason: command.reason })));
        break;
      case 'reroute': {
        const unit = await opdRepo.findUnitByCode(db, command.opdCode);
        if (!unit || !unit.active) return texts.officialRefusalText(`Kode OPD ${command.opdCode} tidak dikenal.`);
        outcome = await update(command.ticketCode, (h) =>
          h.executeUpdate(rerouteUpdate, options({ actor, opdUnitId: unit.id, opdCode: unit.code, opdName: unit.name })),
        );
        break;
      }
    }
    return outcome.ok ? texts.officialAckText(command.type, command.ticketCode) : texts.officialRefusalText(outcome.reason);
  }

  /** Officials see their own OPD's complaints; from level 3 on, every complaint. */
  const mayRead = (official: Official, opdUnitId: number | null) => official.level >= 3 || official.opd_unit_id === opdUnitId;

  return {
    async handleOfficialMessage(input: { from: string; body: string; inboundMessageId: number }): Promise<string> {
      const official = await opdRepo.findActiveOfficialByPhoneHash(db, crypto.lookupHash('phone', normalisePhone(input.from)));
      if (!official) return texts.officialRefusalText('Nomor ini tidak lagi terdaftar sebagai petugas LAPOR KAND4.');
      const parsed = parseOfficialCommand(input.body);
      if (!parsed) return texts.officialHelpText();
      if (!parsed.ok) return texts.officialRefusalText(parsed.error);
      const command = parsed.command;
      if (command.type === 'list') {
        const rows = await db
          .selectFrom('complaints')
          .select(['ticket_code', 'status', 'target_at'])
          .where('status', 'in', ['routed', 'accepted', 'in_progress', 'resolved'])
          .where((eb) => (official.level >= 3 ? eb('escalation_level', '>=', 3) : eb('opd_unit_id', '=', official.opd_unit_id)))
          .orderBy(sql`target_at nulls first`)
          .limit(20)
          .execute();
        return texts.officialListText(rows.map((r) => ({ ticketCode: r.ticket_code, status: r.status, nextDeadline: r.target_at ?? undefined })));
      }
      if (command.type === 'info') {
        const complaint = await complaintsRepo.findByTicketCode(db, command.ticketCode);
        if (!complaint || !mayRead(official, complaint.opd_unit_id)) return texts.officialRefusalText(`Kode laporan ${command.ticketCode} tidak ditemukan atau bukan kewenangan Anda.`);
        const unit = complaint.opd_unit_id ? await opdRepo.findUnitById(db, complaint.opd_unit_id) : undefined;
        return texts.officialInfoText({
          ticketCode: complaint.ticket_code,
          status: complaint.status,
          kind: complaint.kind,
          category: complaint.category,
          description: complaint.description,
          kecamatan: complaint.kecamatan ?? undefined,
          opdName: unit?.name ?? '-',
          level: complaint.escalation_level,
          targetDate: complaint.target_at ?? undefined,
          submittedAt: complaint.submitted_at,
        });
      }
      return actAsOfficial(official, command, `message-${input.inboundMessageId}`);
    },

    /** A citizen's YA / TIDAK / NILAI / BATAL on their own complaint; null when it was not such a command. */
    async handleCitizenCommand(input: { from: string; body: string; inboundMessageId: number }): Promise<{ reply?: string } | null> {
      const parsed = parseCitizenCommand(input.body);
      if (!parsed) return null;
      if (!parsed.ok) return { reply: parsed.error };
      const command: CitizenCommand = parsed.command;
      const complaint = await complaintsRepo.findByTicketCode(db, command.ticketCode);
      const reporterHash = complaint ? await complaintsRepo.findReporterPhoneHash(db, complaint.reporter_id) : undefined;
      // Someone else's complaint looks exactly like one that does not exist.
      if (!complaint || reporterHash !== crypto.lookupHash('phone', normalisePhone(input.from))) return { reply: statusNotFoundText(command.ticketCode) };
      const actor: Actor = { kind: 'citizen' };
      const updateId = `message-${input.inboundMessageId}`;
      const run = (handle: ReturnType<Client['workflow']['getHandle']>): Promise<ComplaintView> => {
        switch (command.type) {
          case 'confirm':
            return handle.executeUpdate(confirmUpdate, { args: [{ actor }], updateId });
          case 'dispute':
            return handle.executeUpdate(disputeUpdate, { args: [{ actor, reason: command.reason }], updateId });
          case 'rate':
            return handle.executeUpdate(rateUpdate, { args: [{ actor, rating: command.rating }], updateId });
          case 'withdraw':
            return handle.executeUpdate(withdrawUpdate, { args: [{ actor }], updateId });
        }
      };
      const outcome = await update(command.ticketCode, run);
      // On success the complaint workflow itself tells the citizen what happened.
      return outcome.ok ? {} : { reply: outcome.reason };
    },
  };
}

export type CommandActivities = ReturnType<typeof createCommandActivities>;
