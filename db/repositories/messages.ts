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
  /** Set when the message goes out as a Content template (outside WhatsApp's 24-hour window). */
  templateKind?: string | null;
  contentSid?: string | null;
}

/**
 * Records an outgoing message in status 'sending' before it is sent, once per idempotency key.
 * `isNew` is false when the key was seen: an earlier attempt may already have sent it.
 */
export async function recordOutbound(db: Db, m: NewOutboundMessage): Promise<{ message: Message; isNew: boolean }> {
  const inserted = await db
    .insertInto('messages')
    .values({
      direction: 'outbound',
      idempotency_key: m.idempotencyKey,
      phone_hash: m.phoneHash,
      phone_enc: m.phoneEnc,
      content_enc: m.contentEnc,
      status: 'sending',
      complaint_id: m.complaintId,
      template_kind: m.templateKind ?? null,
      content_sid: m.contentSid ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { message: inserted, isNew: true };
  return { message: (await findByIdempotencyKey(db, m.idempotencyKey))!, isNew: false };
}

/** Records an outgoing message before it is sent; returns the existing row when the key was seen. */
export async function insertOutboundOnce(db: Db, m: NewOutboundMessage): Promise<Message> {
  return (await recordOutbound(db, m)).message;
}

/**
 * Stores the SID Twilio gave the message. Only once: when two attempts race (one timed out but
 * still running, one retry), the later answer must not move the status back.
 */
export async function markOutboundSent(db: Db, id: number, twilioSid: string, status: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ twilio_sid: twilioSid, status, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('twilio_sid', 'is', null)
    .execute();
}

export async function markOutboundFailed(db: Db, id: number, errorCode: string): Promise<void> {
  await db.updateTable('messages').set({ status: 'failed', error_code: errorCode, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function findByTwilioSid(db: Db, twilioSid: string): Promise<Message | undefined> {
  return db.selectFrom('messages').selectAll().where('twilio_sid', '=', twilioSid).executeTakeFirst();
}

/** When the number last wrote to us: WhatsApp's 24-hour session window runs from then. */
export async function findLastInboundAt(db: Db, phoneHash: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('messages')
    .select('created_at')
    .where('phone_hash', '=', phoneHash)
    .where('direction', '=', 'inbound')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.created_at;
}

export interface DeliveryStatusUpdate {
  twilioSid: string;
  status: string;
  errorCode?: string;
  /** The statuses this one may replace; 'any' for a final failure, which always wins. */
  replaces: readonly string[] | 'any';
}

/** Applies a status reported by Twilio to an outgoing message; undefined when nothing changed. */
export async function updateDeliveryStatus(db: Db, u: DeliveryStatusUpdate): Promise<Message | undefined> {
  let query = db
    .updateTable('messages')
    .set({ status: u.status, ...(u.errorCode ? { error_code: u.errorCode } : {}), updated_at: sql`now()` })
    .where('twilio_sid', '=', u.twilioSid)
    .where('direction', '=', 'outbound');
  if (u.replaces !== 'any') {
    if (u.replaces.length === 0) return undefined;
    query = query.where('status', 'in', u.replaces);
  }
  return query.returningAll().executeTakeFirst();
}

export async function listByPhoneHash(db: Db, phoneHash: string): Promise<Message[]> {
  return db.selectFrom('messages').selectAll().where('phone_hash', '=', phoneHash).orderBy('id').execute();
}
