import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never changes once released; later changes go in a new file.
// The admin API: bearer tokens, the audit log, and what the complaint list and statistics filter
// and count on.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'operator', 'opd', 'viewer', 'open311')`))
    .addColumn('opd_unit_id', 'integer', (c) => c.references('opd_units.id'))
    // SHA-256 of the token: tokens are 256 random bits, so a fast hash is enough.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addCheckConstraint('api_tokens_opd_scope', sql`(role = 'opd') = (opd_unit_id is not null)`)
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('token_id', 'integer', (c) => c.references('api_tokens.id'))
    /** Who, as known when it happened: 'token:<id>' or 'cli'. */
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index audit_log_created_idx on audit_log (created_at desc, id desc)`.execute(db);
  await db.schema.createIndex('audit_log_resource_idx').on('audit_log').columns(['resource_type', 'resource_id']).execute();
  await db.schema.createIndex('audit_log_token_idx').on('audit_log').column('token_id').execute();
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);

  // reopen_count: reopenings (a citizen's dispute, an admin's reopen) for the reopen rate.
  // overdue_since: the missed deadline the complaint is late on; set when it escalates for it,
  // cleared when the missing step is done.
  await db.schema
    .alterTable('complaints')
    .addColumn('reopen_count', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('overdue_since', 'timestamptz')
    .execute();
  await sql`alter table complaints add column search tsvector generated always as (to_tsvector('indonesian', description)) stored`.execute(db);
  await sql`create index complaints_search_idx on complaints using gin (search)`.execute(db);

  // The list is newest first with a keyset on (submitted_at, id); one index per common filter
  // keeps a filtered page an index range scan.
  await sql`create index complaints_submitted_idx on complaints (submitted_at desc, id desc)`.execute(db);
  for (const column of ['status', 'opd_unit_id', 'category', 'kecamatan']) {
    await sql`create index ${sql.raw(`complaints_${column}_submitted_idx`)} on complaints (${sql.ref(column)}, submitted_at desc, id desc)`.execute(db);
  }
  await sql`create index complaints_overdue_idx on complaints (submitted_at desc, id desc) where overdue_since is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['complaints_overdue_idx', 'complaints_submitted_idx', 'complaints_status_submitted_idx', 'complaints_opd_unit_id_submitted_idx', 'complaints_category_submitted_idx', 'complaints_kecamatan_submitted_idx', 'complaints_search_idx']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  await db.schema.alterTable('complaints').dropColumn('search').dropColumn('overdue_since').dropColumn('reopen_count').execute();
  await db.schema.dropTable('audit_log').ifExists().execute();
  await sql`drop function if exists audit_log_append_only()`.execute(db);
  await db.schema.dropTable('api_tokens').ifExists().execute();
}
