import type { Kysely } from 'kysely';

// Frozen in time: a migration never changes once released; later changes go in a new file.
// Evidence sent through Open311 (a media_url) arrives with no WhatsApp message behind it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('media').alterColumn('inbound_message_id', (c) => c.dropNotNull()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // NOT NULL cannot come back while Open311 evidence exists; going down drops those rows.
  await db.deleteFrom('media').where('inbound_message_id', 'is', null).execute();
  await db.schema.alterTable('media').alterColumn('inbound_message_id', (c) => c.setNotNull()).execute();
}
