import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../connect';
import type { Database } from '../schema';
import { OPEN_STATUSES, type Category, type ComplaintStatus, type ReportKind } from '../../domain/report';

// Read-only queries of the admin API over complaints: the filtered list (and its CSV export) and
// what a complaint's detail shows. Columns are named one by one: the encrypted blobs and the
// tsvector are only read when needed.

export interface ComplaintFilter {
  statuses?: ComplaintStatus[];
  category?: Category;
  kind?: ReportKind;
  opdUnitId?: number;
  kecamatan?: string;
  difficulty?: string;
  level?: number;
  /** true: late on a deadline and still open; false: everything else. */
  overdue?: boolean;
  /** submitted_at >= from */
  from?: Date;
  /** submitted_at < to */
  to?: Date;
  /** Full-text search on the description (websearch syntax). */
  q?: string;
}

/** A position in the list, newest first. The instant is text with microseconds: a Date would lose them. */
export interface Keyset {
  submittedAt: string;
  id: number;
}

/** Which personal data to read: none, what a masked answer needs, or everything. */
export type ReporterColumns = 'none' | 'masked' | 'clear';

type Eb = ExpressionBuilder<Database & { c: Database['complaints'] }, 'c'>;

/** The filters (and the keyset) as one condition on complaints aliased `c`. */
function matching(filter: ComplaintFilter, after: Keyset | undefined) {
  return (eb: Eb) => {
    const conditions: Array<Expression<SqlBool>> = [];
    const statuses = filter.statuses ?? [];
    if (statuses.length === 1) conditions.push(eb('c.status', '=', statuses[0]));
    else if (statuses.length > 1) conditions.push(eb('c.status', 'in', statuses));
    if (filter.category) conditions.push(eb('c.category', '=', filter.category));
    if (filter.kind) conditions.push(eb('c.kind', '=', filter.kind));
    if (filter.opdUnitId !== undefined) conditions.push(eb('c.opd_unit_id', '=', filter.opdUnitId));
    if (filter.kecamatan) conditions.push(eb('c.kecamatan', '=', filter.kecamatan));
    if (filter.difficulty) conditions.push(eb('c.difficulty', '=', filter.difficulty));
    if (filter.level !== undefined) conditions.push(eb('c.escalation_level', '=', filter.level));
    if (filter.overdue !== undefined) {
      const overdue = eb.and([eb('c.overdue_since', 'is not', null), eb('c.status', 'in', OPEN_STATUSES)]);
      conditions.push(filter.overdue ? overdue : eb.not(overdue));
    }
    if (filter.from) conditions.push(eb('c.submitted_at', '>=', filter.from));
    if (filter.to) conditions.push(eb('c.submitted_at', '<', filter.to));
    if (filter.q) conditions.push(sql<SqlBool>`c.search @@ websearch_to_tsquery('indonesian', ${filter.q})`);
    if (after) conditions.push(sql<SqlBool>`(c.submitted_at, c.id) < (${after.submittedAt}::timestamptz, ${after.id}::bigint)`);
    return eb.and(conditions);
  };
}

/**
 * Below this many matches a text search reads its matches from the text index and sorts them;
 * above, walking the submitted_at index finds a page of them sooner.
 */
const SPARSE_SEARCH_ROWS = 1000;

async function countUpTo(db: Db, where: ReturnType<typeof matching>, max: number): Promise<number> {
  const row = await db
    .selectFrom(db.selectFrom('complaints as c').select('c.id').where(where).limit(max).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * One page of the list, newest first on (submitted_at desc, id desc). The row comparison after the
 * keyset lets the (filter column, submitted_at desc, id desc) indexes serve the page as a range scan.
 */
export async function listComplaints(db: Db, filter: ComplaintFilter, page: { limit: number; after?: Keyset; reporter: ReporterColumns; fullDescription?: boolean }) {
  const where = matching(filter, page.after);
  // PostgreSQL guesses how common a word is; for a rare one it would walk the whole submitted_at
  // index looking for a page of matches. A cheap capped count tells which way is fast.
  const sparseSearch = filter.q !== undefined && (await countUpTo(db, where, SPARSE_SEARCH_ROWS)) < SPARSE_SEARCH_ROWS;
  // Sorting by an expression keeps the planner off the submitted_at index: the text index it is.
  const newestFirst = sparseSearch ? sql`c.submitted_at + interval '0'` : sql.ref('c.submitted_at');
  return db
    .selectFrom('complaints as c')
    .leftJoin('opd_units as o', 'o.id', 'c.opd_unit_id')
    .select([
      'c.id',
      'c.ticket_code',
      'c.kind',
      'c.category',
      'c.status',
      'o.code as opd_code',
      'o.name as opd_name',
      'c.kecamatan',
      'c.difficulty',
      'c.escalation_level',
      'c.overdue_since',
      'c.submitted_at',
      sql<string>`to_char(c.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('keyset_at'),
      'c.accepted_at',
      'c.target_at',
      'c.resolved_at',
      'c.closed_at',
      'c.rating',
      page.fullDescription ? 'c.description' : sql<string>`left(c.description, 200)`.as('description'),
    ])
    .$if(page.reporter !== 'none', (qb) => qb.select(['c.reporter_name_enc', 'c.nik_enc']))
    .$if(page.reporter === 'clear', (qb) =>
      qb.select((eb) => [
        'c.reporter_address_enc',
        eb.selectFrom('reporters as r').select('r.phone_enc').whereRef('r.id', '=', 'c.reporter_id').as('reporter_phone_enc'),
      ]),
    )
    .where(where)
    .orderBy(newestFirst, 'desc')
    .orderBy('c.id', 'desc')
    .limit(page.limit)
    .execute();
}

export type ComplaintListRow = Awaited<ReturnType<typeof listComplaints>>[number];

/** Just enough to decide who may see a complaint. */
export async function findComplaintScope(db: Db, ticketCode: string) {
  return db.selectFrom('complaints').select(['id', 'ticket_code', 'opd_unit_id']).where('ticket_code', '=', ticketCode).executeTakeFirst();
}

/** Everything a complaint's detail shows, with its personal data still encrypted. */
export async function findComplaintDetail(db: Db, ticketCode: string) {
  return db
    .selectFrom('complaints as c')
    .leftJoin('opd_units as o', 'o.id', 'c.opd_unit_id')
    .innerJoin('reporters as r', 'r.id', 'c.reporter_id')
    .select([
      'c.id',
      'c.ticket_code',
      'c.kind',
      'c.category',
      'c.category_inferred',
      'c.status',
      'c.opd_unit_id',
      'o.code as opd_code',
      'o.name as opd_name',
      'c.description',
      'c.location_text',
      'c.kecamatan',
      'c.latitude',
      'c.longitude',
      'c.outside_regency',
      'c.difficulty',
      'c.policy_version',
      'c.escalation_level',
      'c.overdue_since',
      'c.submitted_at',
      'c.accepted_at',
      'c.target_at',
      'c.resolved_at',
      'c.closed_at',
      'c.rating',
      'c.rejection_reason',
      'c.reopen_count',
      'c.reporter_name_enc',
      'c.reporter_address_enc',
      'c.nik_enc',
      'r.phone_enc as reporter_phone_enc',
      'r.phone_hash as reporter_phone_hash',
    ])
    .where('c.ticket_code', '=', ticketCode)
    .executeTakeFirst();
}

export type ComplaintDetailRow = NonNullable<Awaited<ReturnType<typeof findComplaintDetail>>>;

export async function listEvents(db: Db, complaintId: number) {
  return db
    .selectFrom('complaint_events')
    .select(['id', 'type', 'actor', 'data', 'created_at'])
    .where('complaint_id', '=', complaintId)
    .orderBy('id')
    .execute();
}

/** Messages in and out about a complaint; their encrypted content only when asked for. */
export async function listMessages(db: Db, complaintId: number, withContent: boolean) {
  return db
    .selectFrom('messages')
    .select(['id', 'direction', 'status', 'error_code', 'template_kind', 'phone_hash', 'created_at'])
    .$if(withContent, (qb) => qb.select('content_enc'))
    .where('complaint_id', '=', complaintId)
    .orderBy('id')
    .execute();
}

export async function listMedia(db: Db, complaintId: number) {
  return db
    .selectFrom('media')
    .select(['id', 'content_type', 'size_bytes', 'created_at'])
    .where('complaint_id', '=', complaintId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A media row, only when it belongs to that complaint. */
export async function findComplaintMedia(db: Db, complaintId: number, mediaId: string) {
  return db
    .selectFrom('media')
    .select(['id', 'content_type', 'size_bytes', 'storage_key'])
    .where('id', '=', mediaId)
    .where('complaint_id', '=', complaintId)
    .executeTakeFirst();
}
