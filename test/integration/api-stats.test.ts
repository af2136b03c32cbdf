import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as opdRepo from '../../db/repositories/opd';
import type { NewComplaint } from '../../db/schema';
import { callApi, issueToken } from '../support/api';
import { copyComplaint } from '../support/complaints';
import { startTestStack, type TestStack } from '../support/runtime';

// GET /api/v1/stats and the operations endpoints, against the real service. The statistics are
// checked on complaints of a kecamatan that only this test uses, with figures worked out by hand.

let stack: TestStack;
const kecamatan = `Uji ${randomUUID().slice(0, 8)}`;
let firstKey = '';

beforeAll(async () => {
  stack = await startTestStack();
  const db = stack.runtime.db;
  const dpupr = (await opdRepo.findUnitByCode(db, 'DPUPR'))!.id;
  const dinkes = (await opdRepo.findUnitByCode(db, 'DINKES'))!.id;
  const reporterId = await complaintsRepo.upsertReporter(db, `stats-${kecamatan}`, stack.runtime.crypto.encrypt('+6281200000000'));
  const at = (iso: string) => new Date(iso);
  let n = 0;
  const add = (c: Partial<NewComplaint>) => {
    n += 1;
    const submissionKey = `stats-${randomUUID()}`;
    firstKey ||= submissionKey;
    return complaintsRepo.insertComplaint(db, {
      ticket_code: `LK-2091-${randomUUID().slice(0, 6)}`,
      submission_key: submissionKey,
      reporter_id: reporterId,
      reporter_name_enc: 'x',
      reporter_address_enc: 'x',
      nik_enc: 'x',
      nik_hash: 'x',
      outside_regency: false,
      kind: 'aduan',
      category: 'infrastruktur',
      category_inferred: false,
      description: `statistik ${n}`,
      location_text: null,
      kecamatan,
      latitude: null,
      longitude: null,
      status: 'routed',
      opd_unit_id: dpupr,
      submitted_at: at('2026-01-10T03:00:00Z'),
      ...c,
    });
  };
  // 1: tuntas on time, accepted after 2 days, tuntas after 100 days, rated 5.
  await add({ status: 'tuntas', accepted_at: at('2026-01-12T03:00:00Z'), target_at: at('2027-01-12T03:00:00Z'), resolved_at: at('2026-04-15T03:00:00Z'), closed_at: at('2026-04-20T03:00:00Z'), rating: 5 });
  // 2: tuntas late (resolved after the target), accepted after 4 days, reopened once, rated 2.
  await add({ status: 'tuntas', accepted_at: at('2026-01-14T03:00:00Z'), target_at: at('2026-02-14T03:00:00Z'), resolved_at: at('2026-03-01T03:00:00Z'), closed_at: at('2026-03-01T03:00:00Z'), reopen_count: 1, rating: 2 });
  // 3: open, in progress, overdue at level 3, accepted after 6 days.
  await add({ status: 'in_progress', accepted_at: at('2026-01-16T03:00:00Z'), target_at: at('2026-02-16T03:00:00Z'), escalation_level: 3, overdue_since: at('2026-02-16T03:00:00Z') });
  // 4: open, routed, overdue at level 2; DINKES, kesehatan, submitted in February (WIB).
  await add({ status: 'routed', opd_unit_id: dinkes, category: 'kesehatan', submitted_at: at('2026-01-31T18:00:00Z'), escalation_level: 2, overdue_since: at('2026-02-07T03:00:00Z') });
  // 5: rejected.
  await add({ status: 'rejected', closed_at: at('2026-01-20T03:00:00Z') });
});

afterAll(async () => {
  await stack?.stop();
});

describe('GET /api/v1/stats', () => {
  it('works out counts, on-time share, medians, overdue by level, reopen rate and rating', async () => {
    const viewer = await issueToken(stack, 'viewer');
    const answer = await callApi(stack, viewer, `/api/v1/stats?kecamatan=${encodeURIComponent(kecamatan)}`);
    expect(answer.status).toBe(200);
    const stats = answer.body;
    expect(stats.total).toEqual({
      count: 5,
      open: 2,
      overdueOpen: 2,
      resolvedOnTimeShare: 0.5,
      // From histograms: 2, 4 and 6 days → 4 days, in the half-day bucket [4, 4.5) → 4.25;
      // 50 and 100 days → the middles of the weeks [49, 56) and [98, 105) → 77.
      medianDaysToAcceptance: 4.3,
      medianDaysToTuntas: 77,
      reopenRate: 0.5,
      averageRating: 3.5,
    });
    expect(stats.byStatus).toEqual(
      expect.arrayContaining([
        { status: 'tuntas', count: 2 },
        { status: 'in_progress', count: 1 },
        { status: 'routed', count: 1 },
        { status: 'rejected', count: 1 },
      ]),
    );
    expect(stats.byOpd.map((o: { opdCode: string; count: number }) => [o.opdCode, o.count])).toEqual([
      ['DPUPR', 4],
      ['DINKES', 1],
    ]);
    expect(stats.byCategory.find((c: { category: string }) => c.category === 'kesehatan')).toMatchObject({ count: 1, open: 1, overdueOpen: 1 });
    // The routed complaint was submitted on 1 February in WIB (31 January in UTC).
    expect(stats.byMonth.map((m: { month: string; count: number }) => [m.month, m.count])).toEqual([
      ['2026-01', 4],
      ['2026-02', 1],
    ]);
    expect(stats.byKecamatan).toHaveLength(1);
    expect(stats.byKecamatan[0]).toMatchObject({ kecamatan, count: 5 });
    expect(stats.overdueByLevel).toEqual([
      { level: 2, count: 1 },
      { level: 3, count: 1 },
    ]);
  });

  it('filters by date range and OPD, and keeps an opd token to its own OPD', async () => {
    const operator = await issueToken(stack, 'operator');
    const february = await callApi(stack, operator, `/api/v1/stats?kecamatan=${encodeURIComponent(kecamatan)}&from=2026-02&to=2026-02`);
    expect(february.body.total.count).toBe(1);
    const dinkes = await callApi(stack, operator, `/api/v1/stats?kecamatan=${encodeURIComponent(kecamatan)}&opd=DINKES`);
    expect(dinkes.body.total.count).toBe(1);

    const opd = await issueToken(stack, 'opd', 'DPUPR');
    const own = await callApi(stack, opd, `/api/v1/stats?kecamatan=${encodeURIComponent(kecamatan)}`);
    expect(own.body.total.count).toBe(4);
    expect(own.body.byOpd.map((o: { opdCode: string }) => o.opdCode)).toEqual(['DPUPR']);
    expect((await callApi(stack, opd, '/api/v1/stats?opd=DINKES')).status).toBe(403);
  });

  it('refuses malformed filters with a validation problem', async () => {
    const viewer = await issueToken(stack, 'viewer');
    for (const query of ['from=yesterday', 'from=2026-13', 'from=2026-02-01', 'category=jalan', 'from=2026-03&to=2026-02', 'opd=NOPE']) {
      const answer = await callApi(stack, viewer, `/api/v1/stats?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('operations', () => {
  it('readyz reports the database, Temporal and a polling worker', async () => {
    const answer = await callApi(stack, undefined, '/readyz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok', worker: 'ok' } });
  });

  it('metrics serve Prometheus text with webhook, message and open-complaint figures', async () => {
    await fetch(`${stack.runtime.url}/webhooks/twilio/whatsapp`, { method: 'POST' }); // unsigned: 403, still counted
    const answer = await callApi(stack, undefined, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain');
    const text = answer.body as string;
    expect(text).toMatch(/lapor_kand4_webhook_requests_total\{route="\/twilio\/whatsapp",status="403"\} [1-9]/);
    expect(text).toContain('lapor_kand4_webhook_duration_seconds_bucket');
    expect(text).toMatch(/lapor_kand4_open_complaints\{status="in_progress",level="3"\} [1-9]/);
    expect(text).toMatch(/lapor_kand4_overdue_complaints\{level="2"\} [1-9]/);
    expect(text).toContain('lapor_kand4_messages');
  });
});

describe('statistics summary', () => {
  it('follows every change of a complaint exactly as a count from scratch would', async () => {
    const db = stack.runtime.db;
    const cellsOf = async (table: 'complaint_stats_cells' | 'complaint_stats_cells_live') =>
      (
        await sql<Record<string, unknown>>`select * from ${sql.table(table)} where kecamatan = ${kecamatan} and count > 0 order by month, category, opd_unit_id`.execute(db)
      ).rows;
    const complaints = await db.selectFrom('complaints').select(['id', 'ticket_code', 'status']).where('kecamatan', '=', kecamatan).orderBy('id').execute();
    const dinkes = (await opdRepo.findUnitByCode(db, 'DINKES'))!.id;
    // Accept the routed one at DINKES, make it overdue, resolve and close the in-progress one with
    // a rating, move one to another month, and add and remove a complaint.
    await complaintsRepo.updateComplaint(db, complaints[3].id, { status: 'accepted', accepted_at: new Date('2026-02-03T03:00:00Z'), target_at: new Date('2027-02-03T03:00:00Z') });
    await complaintsRepo.updateComplaint(db, complaints[3].id, { escalation_level: 3, overdue_since: new Date('2026-03-01T00:00:00Z'), opd_unit_id: dinkes });
    await complaintsRepo.updateComplaint(db, complaints[2].id, { status: 'tuntas', resolved_at: new Date('2026-05-01T00:00:00Z'), closed_at: new Date('2026-05-10T00:00:00Z'), rating: 4, reopen_count: 2, overdue_since: null });
    await complaintsRepo.updateComplaint(db, complaints[4].id, { submitted_at: new Date('2025-12-24T03:00:00Z') });
    const extra = await copyComplaint(db, complaints[0].ticket_code, { ticket_code: `LK-2091-${randomUUID().slice(0, 6)}` });
    expect(await cellsOf('complaint_stats_cells')).toEqual(await cellsOf('complaint_stats_cells_live'));
    await db.deleteFrom('complaints').where('id', '=', extra.id).execute();
    const maintained = await cellsOf('complaint_stats_cells');
    expect(maintained).toEqual(await cellsOf('complaint_stats_cells_live'));
    expect(maintained.reduce((sum, cell) => sum + Number(cell.count), 0)).toBe(5);
  });
});
