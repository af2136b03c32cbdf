import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never changes once released; later changes go in a new file.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('opd_units')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('category_routes')
    .addColumn('category', 'text', (c) => c.primaryKey())
    .addColumn('opd_unit_id', 'integer', (c) => c.notNull().references('opd_units.id'))
    .execute();

  await db.schema
    .createTable('officials')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('opd_unit_id', 'integer', (c) => c.references('opd_units.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level between 1 and 4`))
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('officials_phone_hash_idx').on('officials').column('phone_hash').execute();
  await db.schema.createIndex('officials_unit_level_idx').on('officials').columns(['opd_unit_id', 'level']).execute();

  await db.schema
    .createTable('reporters')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('phone_hash', 'text', (c) => c.notNull().unique())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('complaints')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_code', 'text', (c) => c.notNull().unique())
    .addColumn('submission_key', 'text', (c) => c.notNull().unique())
    .addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id'))
    .addColumn('reporter_name_enc', 'text', (c) => c.notNull())
    .addColumn('reporter_address_enc', 'text', (c) => c.notNull())
    .addColumn('nik_enc', 'text', (c) => c.notNull())
    .addColumn('nik_hash', 'text', (c) => c.notNull())
    .addColumn('outside_regency', 'boolean', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('aduan', 'usul', 'saran', 'nasihat')`))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('category_inferred', 'boolean', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('location_text', 'text')
    .addColumn('kecamatan', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opd_unit_id', 'integer', (c) => c.references('opd_units.id'))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('complaints_reporter_idx').on('complaints').column('reporter_id').execute();
  await db.schema.createIndex('complaints_nik_hash_idx').on('complaints').column('nik_hash').execute();

  await db.schema
    .createTable('complaint_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('complaint_id', 'bigint', (c) => c.notNull().references('complaints.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('complaint_events_complaint_idx').on('complaint_events').columns(['complaint_id', 'id']).execute();
  // The timeline is append-only: history is never rewritten.
  await sql`
    create function complaint_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'complaint_events is append-only';
    end $$`.execute(db);
  await sql`
    create trigger complaint_events_append_only before update or delete on complaint_events
    for each row execute function complaint_events_append_only()`.execute(db);

  await db.schema
    .createTable('messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('inbound', 'outbound')`))
    .addColumn('twilio_sid', 'text', (c) => c.unique())
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('content_enc', 'text')
    .addColumn('num_media', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('complaint_id', 'bigint', (c) => c.references('complaints.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('messages_phone_hash_idx').on('messages').columns(['phone_hash', 'id']).execute();
  await db.schema.createIndex('messages_complaint_idx').on('messages').column('complaint_id').execute();
  // The dispatcher looks for inbound messages not yet handed to their conversation.
  await sql`create index messages_undispatched_idx on messages (id) where direction = 'inbound' and status = 'received'`.execute(db);

  await db.schema
    .createTable('media')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('inbound_message_id', 'bigint', (c) => c.notNull().references('messages.id'))
    .addColumn('media_index', 'smallint', (c) => c.notNull())
    .addColumn('complaint_id', 'bigint', (c) => c.references('complaints.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('media_message_index_unique', ['inbound_message_id', 'media_index'])
    .execute();
  await db.schema.createIndex('media_complaint_idx').on('media').column('complaint_id').execute();

  await db.schema
    .createTable('ticket_sequences')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last_value', 'integer', (c) => c.notNull())
    .execute();

  // The regency's main OPDs and where each category goes first. Contacts are seeded by the app
  // (they are encrypted with the deployment's key) and replaced by admins.
  const units = [
    ['DISDIK', 'Dinas Pendidikan'],
    ['DINKES', 'Dinas Kesehatan'],
    ['DPUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang'],
    ['DISPENDUKCAPIL', 'Dinas Kependudukan dan Pencatatan Sipil'],
    ['DPMPTSP', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu'],
    ['DINSOS', 'Dinas Sosial'],
    ['DLH', 'Dinas Lingkungan Hidup'],
    ['DISHUB', 'Dinas Perhubungan'],
    ['DISKOMINFO', 'Dinas Komunikasi dan Informatika'],
    ['BAGORG', 'Bagian Organisasi Sekretariat Daerah'],
    ['INSPEKTORAT', 'Inspektorat Daerah'],
  ];
  await db.insertInto('opd_units').values(units.map(([code, name]) => ({ code, name }))).execute();
  const routes = [
    ['pendidikan', 'DISDIK'],
    ['kesehatan', 'DINKES'],
    ['infrastruktur', 'DPUPR'],
    ['layanan_publik', 'BAGORG'],
    ['lainnya', 'DISKOMINFO'],
  ];
  for (const [category, code] of routes) {
    await sql`insert into category_routes (category, opd_unit_id) select ${category}, id from opd_units where code = ${code}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['media', 'messages', 'complaint_events', 'complaints', 'reporters', 'officials', 'category_routes', 'opd_units', 'ticket_sequences']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`drop function if exists complaint_events_append_only()`.execute(db);
}
