import { sql } from 'kysely';
import type { Db } from '../connect';
import type { Complaint, ComplaintUpdate, NewComplaint } from '../schema';

export async function findBySubmissionKey(db: Db, submissionKey: string): Promise<Complaint | undefined> {
  return db.selectFrom('complaints').selectAll().where('submission_key', '=', submissionKey).executeTakeFirst();
}

export async function findByTicketCode(db: Db, ticketCode: string): Promise<Complaint | undefined> {
  return db.selectFrom('complaints').selectAll().where('ticket_code', '=', ticketCode).executeTakeFirst();
}

export async function insertComplaint(db: Db, complaint: NewComplaint): Promise<Complaint> {
  return db.insertInto('complaints').values(complaint).returningAll().executeTakeFirstOrThrow();
}

export async function updateComplaint(db: Db, id: number, changes: ComplaintUpdate): Promise<void> {
  await db.updateTable('complaints').set({ ...changes, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** The next number of the year's ticket sequence; atomic under concurrency. */
export async function nextTicketNumber(db: Db, year: number): Promise<number> {
  const row = await db
    .insertInto('ticket_sequences')
    .values({ year, last_value: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last_value: sql`ticket_sequences.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}

export interface NewComplaintEvent {
  complaintId: number;
  type: string;
  actor: string;
  data?: Record<string, unknown>;
  /** Writes the event once even when the activity writing it is retried. */
  idempotencyKey?: string;
}

export async function appendEvent(db: Db, event: NewComplaintEvent): Promise<void> {
  await db
    .insertInto('complaint_events')
    .values({
      complaint_id: event.complaintId,
      type: event.type,
      actor: event.actor,
      data: JSON.stringify(event.data ?? {}),
      idempotency_key: event.idempotencyKey ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

export async function listEvents(db: Db, complaintId: number) {
  return db.selectFrom('complaint_events').selectAll().where('complaint_id', '=', complaintId).orderBy('id').execute();
}

export async function upsertReporter(db: Db, phoneHash: string, phoneEnc: string): Promise<number> {
  const row = await db
    .insertInto('reporters')
    .values({ phone_hash: phoneHash, phone_enc: phoneEnc })
    .onConflict((oc) => oc.column('phone_hash').doUpdateSet({ phone_hash: phoneHash }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findReporterPhoneEnc(db: Db, reporterId: number): Promise<string | undefined> {
  const row = await db.selectFrom('reporters').select('phone_enc').where('id', '=', reporterId).executeTakeFirst();
  return row?.phone_enc;
}

export async function findReporterPhoneHash(db: Db, reporterId: number): Promise<string | undefined> {
  const row = await db.selectFrom('reporters').select('phone_hash').where('id', '=', reporterId).executeTakeFirst();
  return row?.phone_hash;
}
