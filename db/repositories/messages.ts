import { sql } from 'kysely';
import type { Db } from '../connect';
import type { Message } from '../schema';

// Thin I/O over the messages table; rules live in services and activities.

export interface NewInboundMessage {
  twilioSid: string;
  phoneHash: string;
  phoneEnc: string;
  contentEnc: string | null;
  numMedia: number;
}

/** Records an inbound message once per Twilio MessageSid; a repeated delivery returns the first row. */
export async function insertInboundOnce(db: Db, m: NewInboundMessage): Promise<{ message: Message; isNew: boolean }> {
  const inserted = await db
    .insertInto('messages')
    .values({
      direction: 'inbound',
      twilio_sid: m.twilioSid,
      phone_hash: m.phoneHash,
      phone_enc: m.phoneEnc,
      content_enc: m.contentEnc,
      num_media: m.numMedia,
      status: 'received',
    })
    .onConflict((oc) => oc.column('twilio_sid').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { message: inserted, isNew: true };
  const existing = await db.selectFrom('messages').selectAll().where('twilio_sid', '=', m.twilioSid).executeTakeFirstOrThrow();
  return { message: existing, isNew: false };
}

export async function markDispatched(db: Db, id: number): Promise<void> {
  await db.updateTable('messages').set({ status: 'dispatched', updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Inbound messages stored but not yet handed to their conversation (for example after a crash). */
export async function findUndispatched(db: Db, olderThanSeconds: number, limit: number): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('direction', '=', 'inbound')
    .where('status', '=', 'received')
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function findByIdempotencyKey(db: Db, key: string): Promise<Message | undefined> {
  return db.selectFrom('messages').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export interface NewOutboundMessage {
  idempotencyKey: string;
  phoneHash: string;
  phoneEnc: string;
  contentEnc: string | null;
  complaintId: number | null;
}

/** Records an outgoing message before it is sent; returns the existing row when the key was seen. */
export async function insertOutboundOnce(db: Db, m: NewOutboundMessage): Promise<Message> {
  await db
    .insertInto('messages')
    .values({
      direction: 'outbound',
      idempotency_key: m.idempotencyKey,
      phone_hash: m.phoneHash,
      phone_enc: m.phoneEnc,
      content_enc: m.contentEnc,
      status: 'pending',
      complaint_id: m.complaintId,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  return (await findByIdempotencyKey(db, m.idempotencyKey))!;
}

export async function markOutboundSent(db: Db, id: number, twilioSid: string, status: string): Promise<void> {
  await db.updateTable('messages').set({ twilio_sid: twilioSid, status, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function markOutboundFailed(db: Db, id: number, errorCode: string): Promise<void> {
  await db.updateTable('messages').set({ status: 'failed', error_code: errorCode, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function listByPhoneHash(db: Db, phoneHash: string): Promise<Message[]> {
  return db.selectFrom('messages').selectAll().where('phone_hash', '=', phoneHash).orderBy('id').execute();
}
