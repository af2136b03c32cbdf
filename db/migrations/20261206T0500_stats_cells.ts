import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never changes once released; later changes go in a new file.
//
// The statistics' summary: one row ("cell") per WIB month of submission, category, OPD and
// kecamatan (a few thousand cells for a million complaints), kept current by a trigger on every
// change of a complaint. GET /stats adds up cells instead of reading every complaint. Durations
// are histograms; their buckets are those of domain/stats.ts: acceptance in half days (61
// buckets, the last one "30 days or more"), tuntas in weeks (210, the last "four years or more").

const STATUSES = `array['received','routed','accepted','in_progress','resolved','tuntas','rejected','withdrawn']`;
const OPEN = `('received','routed','accepted','in_progress','resolved')`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table complaint_stats_cells (
      month date not null,
      category text not null,
      opd_unit_id integer not null,  -- 0: not routed yet
      kecamatan text not null,       -- '': unknown
      count integer not null default 0,
      open integer not null default 0,
      overdue_open integer not null default 0,
      resolved_with_target integer not null default 0,
      resolved_on_time integer not null default 0,
      resolved_ever integer not null default 0,
      reopened integer not null default 0,
      rated integer not null default 0,
      rating_sum integer not null default 0,
      status_counts integer[] not null default array_fill(0, array[8]),
      -- open statuses (the first five) × escalation levels 1–4: (status - 1) * 4 + level
      open_by_status_level integer[] not null default array_fill(0, array[20]),
      overdue_by_level integer[] not null default array_fill(0, array[4]),
      acceptance_hist integer[] not null default array_fill(0, array[61]),
      tuntas_hist integer[] not null default array_fill(0, array[210]),
      primary key (month, category, opd_unit_id, kecamatan)
    )`.execute(db);

  // What one complaint adds to its cell; the trigger and the live view share it.
  await sql`
    create type complaint_stats_contribution as (
      month date, category text, opd_unit_id integer, kecamatan text,
      open integer, overdue_open integer, resolved_with_target integer, resolved_on_time integer,
      resolved_ever integer, reopened integer, rated integer, rating integer,
      status_index integer, open_status_level integer, overdue_level integer, acceptance_bucket integer, tuntas_bucket integer
    )`.execute(db);
  await sql
    .raw(
      `
    create function complaint_stats_contribution_of(c complaints) returns complaint_stats_contribution
    language sql stable as $$
      select row(
        date_trunc('month', c.submitted_at at time zone 'Asia/Jakarta')::date,
        c.category,
        coalesce(c.opd_unit_id, 0)::integer,
        coalesce(c.kecamatan, ''),
        (c.status in ${OPEN})::int,
        (c.status in ${OPEN} and c.overdue_since is not null)::int,
        (c.resolved_at is not null and c.target_at is not null)::int,
        coalesce(c.resolved_at <= c.target_at, false)::int,
        (c.resolved_at is not null)::int,
        (c.reopen_count > 0)::int,
        (c.rating is not null)::int,
        coalesce(c.rating, 0)::int,
        array_position(${STATUSES}, c.status),
        case when c.status in ${OPEN} then (array_position(${STATUSES}, c.status) - 1) * 4 + least(greatest(c.escalation_level, 1), 4)::int end,
        case when c.status in ${OPEN} and c.overdue_since is not null then least(greatest(c.escalation_level, 1), 4)::int end,
        case when c.accepted_at is not null
          then least(greatest(floor(extract(epoch from c.accepted_at - c.submitted_at) / 43200), 0), 60)::int + 1 end,
        case when c.status = 'tuntas' and c.closed_at is not null
          then least(greatest(floor(extract(epoch from c.closed_at - c.submitted_at) / 604800), 0), 209)::int + 1 end
      )::complaint_stats_contribution
    $$`,
    )
    .execute(db);

  // Counts into a histogram: the aggregate behind the live view (and so the rebuild).
  await sql`
    create function complaint_stats_count_into(state integer[], bucket integer, size integer) returns integer[]
    language plpgsql immutable as $$
    begin
      if state is null then state := array_fill(0, array[size]); end if;
      if bucket is not null then state[bucket] := state[bucket] + 1; end if;
      return state;
    end $$`.execute(db);
  await sql`create aggregate complaint_stats_histogram(integer, integer) (sfunc = complaint_stats_count_into, stype = integer[])`.execute(db);

  // The cells computed from scratch: for the rebuild, and for tests to compare against.
  await sql`
    create view complaint_stats_cells_live as
    select (x).month, (x).category, (x).opd_unit_id, (x).kecamatan,
      count(*)::int as count, sum((x).open)::int as open, sum((x).overdue_open)::int as overdue_open,
      sum((x).resolved_with_target)::int as resolved_with_target, sum((x).resolved_on_time)::int as resolved_on_time,
      sum((x).resolved_ever)::int as resolved_ever, sum((x).reopened)::int as reopened, sum((x).rated)::int as rated,
      sum((x).rating)::int as rating_sum,
      complaint_stats_histogram((x).status_index, 8) as status_counts,
      complaint_stats_histogram((x).open_status_level, 20) as open_by_status_level,
      complaint_stats_histogram((x).overdue_level, 4) as overdue_by_level,
      complaint_stats_histogram((x).acceptance_bucket, 61) as acceptance_hist,
      complaint_stats_histogram((x).tuntas_bucket, 210) as tuntas_hist
    from (select complaint_stats_contribution_of(c) as x from complaints c) contributions
    group by 1, 2, 3, 4`.execute(db);

  await sql`
    create function complaint_stats_rebuild() returns void language sql as $$
      delete from complaint_stats_cells;
      insert into complaint_stats_cells select * from complaint_stats_cells_live;
    $$`.execute(db);

  // One complaint in or out of its cell (sign +1 or -1). Cells that fall to zero stay: there are
  // a few thousand at most per month, and removing them would race with inserts.
  await sql`
    create function complaint_stats_apply(c complaint_stats_contribution, sign integer) returns void language plpgsql as $$
    begin
      insert into complaint_stats_cells (month, category, opd_unit_id, kecamatan)
        values (c.month, c.category, c.opd_unit_id, c.kecamatan) on conflict do nothing;
      update complaint_stats_cells set
        count = count + sign,
        open = open + sign * c.open,
        overdue_open = overdue_open + sign * c.overdue_open,
        resolved_with_target = resolved_with_target + sign * c.resolved_with_target,
        resolved_on_time = resolved_on_time + sign * c.resolved_on_time,
        resolved_ever = resolved_ever + sign * c.resolved_ever,
        reopened = reopened + sign * c.reopened,
        rated = rated + sign * c.rated,
        rating_sum = rating_sum + sign * c.rating,
        status_counts[c.status_index] = status_counts[c.status_index] + sign,
        open_by_status_level[coalesce(c.open_status_level, 1)] = open_by_status_level[coalesce(c.open_status_level, 1)] + case when c.open_status_level is null then 0 else sign end,
        overdue_by_level[coalesce(c.overdue_level, 1)] = overdue_by_level[coalesce(c.overdue_level, 1)] + case when c.overdue_level is null then 0 else sign end,
        acceptance_hist[coalesce(c.acceptance_bucket, 1)] = acceptance_hist[coalesce(c.acceptance_bucket, 1)] + case when c.acceptance_bucket is null then 0 else sign end,
        tuntas_hist[coalesce(c.tuntas_bucket, 1)] = tuntas_hist[coalesce(c.tuntas_bucket, 1)] + case when c.tuntas_bucket is null then 0 else sign end
      where month = c.month and category = c.category and opd_unit_id = c.opd_unit_id and kecamatan = c.kecamatan;
    end $$`.execute(db);

  await sql`
    create function complaint_stats_track() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then perform complaint_stats_apply(complaint_stats_contribution_of(old), -1); end if;
      if tg_op in ('INSERT', 'UPDATE') then perform complaint_stats_apply(complaint_stats_contribution_of(new), 1); end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger complaint_stats_track_insert_delete after insert or delete on complaints for each row execute function complaint_stats_track()`.execute(db);
  // Only changes that move a complaint in the statistics: not every touch of updated_at.
  await sql`
    create trigger complaint_stats_track_update after update on complaints for each row
    when ((old.submitted_at, old.category, old.opd_unit_id, old.kecamatan, old.status, old.overdue_since, old.escalation_level,
           old.accepted_at, old.target_at, old.resolved_at, old.closed_at, old.reopen_count, old.rating)
      is distinct from
          (new.submitted_at, new.category, new.opd_unit_id, new.kecamatan, new.status, new.overdue_since, new.escalation_level,
           new.accepted_at, new.target_at, new.resolved_at, new.closed_at, new.reopen_count, new.rating))
    execute function complaint_stats_track()`.execute(db);

  await sql`select complaint_stats_rebuild()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists complaint_stats_track_update on complaints`.execute(db);
  await sql`drop trigger if exists complaint_stats_track_insert_delete on complaints`.execute(db);
  await sql`drop function if exists complaint_stats_track()`.execute(db);
  await sql`drop function if exists complaint_stats_apply(complaint_stats_contribution, integer)`.execute(db);
  await sql`drop function if exists complaint_stats_rebuild()`.execute(db);
  await sql`drop view if exists complaint_stats_cells_live`.execute(db);
  await sql`drop aggregate if exists complaint_stats_histogram(integer, integer)`.execute(db);
  await sql`drop function if exists complaint_stats_count_into(integer[], integer, integer)`.execute(db);
  await sql`drop function if exists complaint_stats_contribution_of(complaints)`.execute(db);
  await sql`drop type if exists complaint_stats_contribution`.execute(db);
  await sql`drop table if exists complaint_stats_cells`.execute(db);
}
