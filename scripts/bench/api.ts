// `npm run bench:api`: the admin API on 1,000,000 complaints. Seeds a PostgreSQL database once
// (kept between runs; BENCH_RESEED=1 starts over), starts the API as `npm start --role=api` would
// (PostgreSQL, a Temporal dev server), and measures GET /api/v1/complaints with typical filters and
// GET /api/v1/stats, one request at a time. Prints p50/p95/p99 per query, and how long the
// statistics summary takes to rebuild from scratch.
// Targets on the 2-core machine: list p95 ≤ 50 ms, stats p95 ≤ 500 ms. A benchmark, not a test.
//
// Options (environment): BENCH_COMPLAINTS (default 1000000), BENCH_LIST_REQUESTS (per query,
// default 200), BENCH_STATS_REQUESTS (per query, default 30), DATABASE_URL (an admin URL; default the local cluster of scripts/ensure-postgres.sh),
// TEMPORAL_CLI_PATH.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../app/config';
import { PiiCrypto } from '../../app/pii-crypto';
import { startRuntime } from '../../app/runtime';
import { launchDevServer } from '../../app/temporal-dev-server';
import { createDatabase, migrateToLatest, type Db } from '../../db/connect';
import { seedPlaceholderOfficials } from '../../db/seed';
import { KECAMATAN } from '../../domain/kecamatan';
import { createToken } from '../../services/api-tokens';

const total = Number(process.env.BENCH_COMPLAINTS ?? 1_000_000);
const listRequests = Number(process.env.BENCH_LIST_REQUESTS ?? 200);
const statsRequests = Number(process.env.BENCH_STATS_REQUESTS ?? 30);
const DB_NAME = 'lapor_kand4_bench_api';
// Fixed, so that the seeded ciphertexts stay readable across runs; a benchmark key, nothing else.
const BENCH_PII_KEY = Buffer.alloc(32, 42).toString('base64');

const logger = pino({ level: 'warn' });
const repo = path.resolve(import.meta.dirname, '../..');
const sh = (script: string) => execFileSync('bash', [path.join(repo, 'scripts', script)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();

const WORDS = [
  'jalan rusak berlubang di depan sekolah',
  'lampu penerangan jalan mati sejak seminggu',
  'guru jarang hadir di kelas',
  'antrean puskesmas terlalu lama',
  'saluran air tersumbat dan banjir saat hujan',
  'sampah menumpuk di pinggir pasar',
  'pelayanan KTP elektronik lambat',
  'jembatan kayu hampir roboh',
  'obat di puskesmas sering kosong',
  'pungutan liar saat mengurus surat',
];

async function main() {
  const adminUrl = process.env.DATABASE_URL ?? sh('ensure-postgres.sh');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (process.env.BENCH_RESEED === '1') await admin.query(`drop database if exists ${DB_NAME} with (force)`);
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [DB_NAME])).rowCount! > 0;
  if (!exists) await admin.query(`create database ${DB_NAME}`);
  await admin.end();
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${DB_NAME}`;

  const db = await createDatabase({ url: databaseUrl.toString() });
  await migrateToLatest(db);
  const crypto = new PiiCrypto(Buffer.from(BENCH_PII_KEY, 'base64'));
  await seedPlaceholderOfficials(db, crypto);
  await seed(db, crypto);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-api-'));
  const devServer = await launchDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH ?? sh('ensure-temporal-cli.sh'), dataDir, namespace: 'default', logger, persist: false });
  const config = loadConfig({
    DATABASE_URL: databaseUrl.toString(),
    TEMPORAL_ADDRESS: devServer.address,
    PII_ENCRYPTION_KEY: BENCH_PII_KEY,
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  const runtime = await startRuntime(config, logger, { role: 'api' });
  try {
    const { token: operator } = await createToken(db, { name: 'bench operator', role: 'operator' });
    const { token: opd } = await createToken(db, { name: 'bench DPUPR', role: 'opd', opdCode: 'DPUPR' });
    const { token: viewer } = await createToken(db, { name: 'bench viewer', role: 'viewer' });
    const get = async (token: string, url: string) => {
      const t = performance.now();
      const response = await fetch(`${runtime.url}/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { nextCursor?: string | null };
      if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };

    console.log(`\nGET /api/v1/complaints on ${total.toLocaleString('en')} complaints, ${listRequests} requests each, one at a time\n`);
    const lists: Array<[string, string, string]> = [
      ['newest first, no filter', operator, '/complaints?limit=50'],
      ['status=in_progress', operator, '/complaints?status=in_progress&limit=50'],
      ['status=routed,accepted & overdue', operator, '/complaints?status=routed,accepted&overdue=true&limit=50'],
      ['opd=DINKES', operator, '/complaints?opd=DINKES&limit=50'],
      ['opd token (own OPD only)', opd, '/complaints?limit=50'],
      ['kecamatan=Kraksaan & category', operator, '/complaints?kecamatan=Kraksaan&category=infrastruktur&limit=50'],
      ['level=4 (escalated to the Bupati)', operator, '/complaints?level=4&limit=50'],
      ['last 30 days', operator, `/complaints?from=${new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)}&limit=50`],
      ['q=jembatan roboh', operator, `/complaints?q=${encodeURIComponent('jembatan roboh')}&limit=50`],
      ['viewer, difficulty=berat', viewer, '/complaints?difficulty=berat&limit=50'],
    ];
    for (const [label, token, url] of lists) {
      await get(token, url); // warm
      const times: number[] = [];
      for (let i = 0; i < listRequests; i++) times.push((await get(token, url)).ms);
      report(label, times, 50);
    }
    // Following cursors deep into the list: page 1, 2, … 200.
    const times: number[] = [];
    let cursor: string | null | undefined;
    for (let i = 0; i < listRequests; i++) {
      const { ms, body } = await get(operator, `/complaints?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      times.push(ms);
      cursor = body.nextCursor;
    }
    report(`following the cursor ${listRequests} pages deep`, times, 50);

    console.log(`\nGET /api/v1/stats, ${statsRequests} requests each\n`);
    const stats: Array<[string, string, string]> = [
      ['everything', viewer, '/stats'],
      ['last 12 months', viewer, `/stats?from=${new Date(Date.now() - 335 * 86_400_000).toISOString().slice(0, 7)}`],
      ['opd=DPUPR', operator, '/stats?opd=DPUPR'],
      ['kecamatan=Kraksaan', viewer, '/stats?kecamatan=Kraksaan'],
    ];
    for (const [label, token, url] of stats) {
      const first = await get(token, url);
      const times: number[] = [];
      for (let i = 0; i < statsRequests; i++) times.push((await get(token, url)).ms);
      report(`${label} (first answer ${first.ms.toFixed(0)} ms)`, times, 500);
    }
  } finally {
    await runtime.stop();
    await devServer.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await db.destroy();
  }
}

function report(label: string, times: number[], targetP95: number) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const p95 = at(0.95);
  console.log(
    `  ${label.padEnd(42)} p50 ${at(0.5).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  p99 ${at(0.99).toFixed(1).padStart(6)} ms  ${p95 <= targetP95 ? 'ok' : `ABOVE ${targetP95} ms`}`,
  );
}

/**
 * Fills the complaints table up to `total` rows in batches, in SQL: the personal data is real
 * ciphertext under the bench key, drawn from a pool of 1,000 reporters so that lists decrypt it.
 */
async function seed(db: Db, crypto: PiiCrypto) {
  const have = Number((await sql<{ n: string }>`select count(*) as n from complaints`.execute(db)).rows[0].n);
  if (have >= total) {
    console.log(`Seed: ${have.toLocaleString('en')} complaints already there (BENCH_RESEED=1 to start over).`);
    return;
  }
  const pool = 1000;
  const names: string[] = [];
  const niks: string[] = [];
  const addresses: string[] = [];
  const reporterIds: number[] = [];
  for (let i = 0; i < pool; i++) {
    const nik = `3513${String(10 + (i % 24)).padStart(2, '0')}${String(41 + (i % 28)).padStart(2, '0')}0190${String(i).padStart(4, '0')}`;
    names.push(crypto.encrypt(`Warga Bench ${i}`));
    niks.push(crypto.encrypt(nik));
    addresses.push(crypto.encrypt(`Dusun ${i}, RT 0${i % 9}/RW 0${i % 7}`));
    const phone = `+628135${String(i).padStart(7, '0')}`;
    const row = await db
      .insertInto('reporters')
      .values({ phone_hash: crypto.lookupHash('phone', phone), phone_enc: crypto.encrypt(phone) })
      .onConflict((oc) => oc.column('phone_hash').doUpdateSet({ phone_enc: crypto.encrypt(phone) }))
      .returning('id')
      .executeTakeFirstOrThrow();
    reporterIds.push(row.id);
  }
  const nikHash = crypto.lookupHash('nik', '3513104101900001');
  // A bulk load: the summary is rebuilt once at the end instead of row by row.
  await sql`alter table complaints disable trigger complaint_stats_track_insert_delete`.execute(db);
  const batch = 100_000;
  const started = performance.now();
  console.log(`Seed: ${have.toLocaleString('en')} → ${total.toLocaleString('en')} complaints …`);
  for (let from = have; from < total; from += batch) {
    const to = Math.min(total, from + batch);
    // Three years of complaints; statuses weighted towards the closed ones, as a service ages.
    await sql`
      with g as (
        select i, random() as r, random() as r2, random() as r3,
          now() - (random() * interval '1095 days') as submitted_at,
          (array['pendidikan','kesehatan','infrastruktur','layanan_publik','lainnya'])[1 + (i % 5)] as category
        from generate_series(${from + 1}::int, ${to}::int) as i
      ), s as (
        select g.*,
          case when r < 0.05 then 'routed' when r < 0.12 then 'accepted' when r < 0.35 then 'in_progress' when r < 0.40 then 'resolved'
               when r < 0.88 then 'tuntas' when r < 0.95 then 'rejected' else 'withdrawn' end as status,
          (array['ringan','sedang','berat'])[1 + floor(r2 * 3)::int] as difficulty
        from g
      ), t as (
        select s.*,
          case when status in ('routed','withdrawn') then null else submitted_at + (1 + r3 * 9) * interval '1 day' end as accepted_at
        from s
      )
      insert into complaints (ticket_code, submission_key, reporter_id, reporter_name_enc, reporter_address_enc, nik_enc, nik_hash,
        outside_regency, kind, category, category_inferred, description, location_text, kecamatan, status, opd_unit_id, submitted_at,
        difficulty, policy_version, accepted_at, target_at, resolved_at, closed_at, escalation_level, rating, reopen_count, overdue_since)
      select
        'LK-B' || lpad(i::text, 9, '0'), 'bench-' || i,
        (${sql.val(reporterIds)}::int[])[1 + i % ${pool}],
        (${sql.val(names)}::text[])[1 + i % ${pool}],
        (${sql.val(addresses)}::text[])[1 + i % ${pool}],
        (${sql.val(niks)}::text[])[1 + i % ${pool}],
        ${nikHash}, false,
        (array['aduan','aduan','aduan','usul','saran','nasihat'])[1 + (i % 6)],
        category, false,
        (${sql.val(WORDS)}::text[])[1 + (i * 7) % ${WORDS.length}] || ' nomor ' || i,
        'Desa ' || (i % 300),
        (${sql.val([...KECAMATAN])}::text[])[1 + (i * 13) % ${KECAMATAN.length}],
        status,
        (select opd_unit_id from category_routes cr where cr.category = t.category),
        submitted_at,
        case when accepted_at is null then null else difficulty end,
        case when accepted_at is null then null else 1 end,
        accepted_at,
        accepted_at + (case difficulty when 'ringan' then 1 when 'sedang' then 2 else 3 end) * interval '1 year',
        case when status in ('resolved','tuntas') then accepted_at + r2 * interval '900 days' end,
        case when status in ('tuntas','rejected','withdrawn') then accepted_at + r2 * interval '910 days' end,
        case when r3 < 0.7 then 1 when r3 < 0.85 then 2 when r3 < 0.95 then 3 else 4 end,
        case when status = 'tuntas' and r3 < 0.6 then 1 + floor(r2 * 5)::int end,
        case when status in ('resolved','tuntas','in_progress') and r3 < 0.05 then 1 else 0 end,
        case when status in ('routed','accepted','in_progress') and r3 >= 0.7 then submitted_at + interval '7 days' end
      from t
    `.execute(db);
    console.log(`  ${to.toLocaleString('en')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await sql`alter table complaints enable trigger complaint_stats_track_insert_delete`.execute(db);
  const rebuild = performance.now();
  await sql`select complaint_stats_rebuild()`.execute(db);
  console.log(`Statistics summary rebuilt from scratch in ${((performance.now() - rebuild) / 1000).toFixed(1)} s.`);
  await sql`vacuum analyze complaints`.execute(db);
  await sql`vacuum analyze complaint_stats_cells`.execute(db);
  console.log(`Seed done in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
