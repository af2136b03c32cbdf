import type { Db } from '../connect';
import type { MediaTable } from '../schema';
import type { Insertable, Selectable } from 'kysely';

export type Media = Selectable<MediaTable>;

/** One row per (inbound message, media index): a retried download finds the first one. */
export async function insertMediaOnce(db: Db, media: Insertable<MediaTable>): Promise<Media> {
  await db
    .insertInto('media')
    .values(media)
    .onConflict((oc) => oc.columns(['inbound_message_id', 'media_index']).doNothing())
    .execute();
  return findByMessageIndex(db, media.inbound_message_id, media.media_index) as Promise<Media>;
}

export async function findByMessageIndex(db: Db, inboundMessageId: number, mediaIndex: number): Promise<Media | undefined> {
  return db
    .selectFrom('media')
    .selectAll()
    .where('inbound_message_id', '=', inboundMessageId)
    .where('media_index', '=', mediaIndex)
    .executeTakeFirst();
}

export async function attachToComplaint(db: Db, mediaIds: string[], complaintId: number): Promise<void> {
  if (mediaIds.length === 0) return;
  await db.updateTable('media').set({ complaint_id: complaintId }).where('id', 'in', mediaIds).execute();
}

export async function listForComplaint(db: Db, complaintId: number): Promise<Media[]> {
  return db.selectFrom('media').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').execute();
}
