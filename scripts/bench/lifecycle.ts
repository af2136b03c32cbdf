// `npm run bench:lifecycle`: complaint workflows through their whole lifecycle (routing to tuntas)
// against the real runtime (PostgreSQL, a Temporal dev server, the worker in this process, the
// real twilio SDK against the fake Twilio server), with the officials and the citizen acting at
// once instead of after months. Prints complaints started per second, whole lifecycles per second,
// the messages Twilio received, the worker's memory per open complaint, and, on the time-skipping
// test server, the history length of a three-year complaint. A benchmark, not a test.
//
// Options (environment): BENCH_COMPLAINTS (default 2000), BENCH_CONCURRENCY (requests in flight,
// default 50), TEMPORAL_CLI_PATH, TEMPORAL_TEST_SERVER_PATH, DATABASE_URL (an admin URL; default
// the local test cluster of scripts/ensure-postgres.sh).

import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import pg from 'pg';
import pino from 'pino';
import type { ComplaintActivities } from '../../activities/complaint-activities';
import { loadConfig } from '../../app/config';
import { startRuntime, type Runtime as LaporRuntime } from '../../app/runtime';
import { launchDevServer } from '../../app/temporal-dev-server';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as messagesRepo from '../../db/repositories/messages';
import * as opdRepo from '../../db/repositories/opd';
import type { Official } from '../../db/schema';
import { DEFAULT_POLICY } from '../../domain/policy';
import { WORKFLOWS_PATH } from '../../worker';
import {
  acceptUpdate,
  complaintViewQuery,
  complaintWorkflow,
  confirmUpdate,
  progressUpdate,
  resolveUpdate,
  type Actor,
  type ComplaintView,
} from '../../workflows/complaint';
import { startFakeTwilio } from '../../test/support/fake-twilio';

// Workers log every state change at INFO; a benchmark only needs warnings and errors. Installed
// before any Temporal object exists (imports create none).
Runtime.install({ logger: new DefaultLogger('WARN') });

const complaints = Number(process.env.BENCH_COMPLAINTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);

const ACCOUNT_SID = `AC${'ab'.repeat(16)}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const CITIZEN_PHONE = '+6281300000001';
const DAY = 24 * 60 * 60 * 1000;

const logger = pino({ level: 'warn' });
const repo = path.resolve(import.meta.dirname, '../..');
const sh = (script: string) => execFileSync('bash', [path.join(repo, 'scripts', script)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();

// A forced GC makes the memory figures comparable; with `node --expose-gc` gc is a global,
// otherwise V8 is asked for it at run time.
const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();

async function main() {
  await throughputAndMemory();
  await threeYearHistory();
}

// ---- 1 and 2: the real runtime on a dev server ---------------------------------------------

async function throughputAndMemory() {
  const adminUrl = process.env.DATABASE_URL ?? sh('ensure-postgres.sh');
  const dbName = `lapor_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-'));
  const stops: Array<() => Promise<void>> = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
    async () => {
      await admin.query(`drop database ${dbName} with (force)`);
      await admin.end();
    },
  ];
  try {
    const devServer = await launchDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH ?? sh('ensure-temporal-cli.sh'), dataDir, namespace: 'default', logger, persist: false });
    stops.push(() => devServer.stop());
    const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    stops.push(() => fake.stop());
    const databaseUrl = new URL(adminUrl);
    databaseUrl.pathname = `/${dbName}`;
    const config = loadConfig({
      DATABASE_URL: databaseUrl.toString(),
      TEMPORAL_ADDRESS: devServer.address,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE_URL: fake.url,
      PUBLIC_BASE_URL: 'https://lapor.bench.example',
      PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    const runtime = await startRuntime(config, logger, { role: 'all' });
    stops.push(() => runtime.stop());
    const client = runtime.client!;

    const unit = (await opdRepo.findUnitByCode(runtime.db, 'DPUPR'))!;
    const [petugas] = await opdRepo.findActiveOfficials(runtime.db, unit.id, 1);
    const official: Actor = { kind: 'official', officialId: petugas.id, opdUnitId: unit.id, level: 1 };
    const citizen: Actor = { kind: 'citizen' };
    const rows = await insertComplaints(runtime, complaints, petugas);

    console.log(`\nLifecycle: ${complaints} complaints (infrastruktur → DPUPR), ${concurrency} requests in flight, accept → progress → resolve → confirm\n`);
    gc();
    const baseline = process.memoryUsage();
    const handles: Array<WorkflowHandle<typeof complaintWorkflow>> = new Array(rows.length);

    let t = performance.now();
    await pool(rows, async ({ ticketCode, complaintId }, i) => {
      handles[i] = await client.workflow.start(complaintWorkflow, { workflowId: ticketCode, taskQueue: config.temporal.taskQueue, args: [{ ticketCode, complaintId }] });
    });
    const startSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    await pool(handles, (handle) => waitForView(handle, (v) => v.status === 'routed'));
    const routeSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    await pool(handles, (handle) => handle.executeUpdate(acceptUpdate, { args: [{ actor: official, difficulty: 'ringan' }] }));
    const acceptSeconds = (performance.now() - t) / 1000;

    // All open, accepted, waiting on their timers (the progress reminder, 23 days away).
    await new Promise((r) => setTimeout(r, 1000));
    gc();
    const open = process.memoryUsage();

    t = performance.now();
    await pool(handles, async (handle) => {
      await handle.executeUpdate(progressUpdate, { args: [{ actor: official, note: 'Pengaspalan dimulai' }] });
      await handle.executeUpdate(resolveUpdate, { args: [{ actor: official, note: 'Jalan sudah diaspal' }] });
      const view = await handle.executeUpdate(confirmUpdate, { args: [{ actor: citizen }] });
      if (view.status !== 'tuntas') throw new Error(`${handle.workflowId} ended ${view.status}`);
    });
    const restSeconds = (performance.now() - t) / 1000;
    const lifecycleSeconds = startSeconds + routeSeconds + acceptSeconds + restSeconds;

    // Messages still on their way (the tuntas notice follows the confirmation's transition).
    const expected = complaints * 5;
    await fake.waitForMessages(expected, 60_000).catch(() => undefined);
    for (let last = -1; last !== fake.sent.length; ) {
      last = fake.sent.length;
      await new Promise((r) => setTimeout(r, 1000));
    }

    const rate = (n: number, s: number) => `${(n / s).toFixed(1).padStart(8)}/s  (${s.toFixed(1)} s)`;
    console.log(`started (workflow.start)             ${rate(complaints, startSeconds)}`);
    console.log(`routed (start → query 'routed')      ${rate(complaints, routeSeconds)}`);
    console.log(`accepted (update)                    ${rate(complaints, acceptSeconds)}`);
    console.log(`progress + resolve + confirm         ${rate(complaints, restSeconds)}`);
    console.log(`whole lifecycles, routing → tuntas   ${rate(complaints, lifecycleSeconds)}`);
    console.log(`messages the fake Twilio received    ${fake.sent.length} (expected ${expected}: officials' notice, accepted, progress, resolved, tuntas)`);

    const heapLimitMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
    const cache = Math.max(Math.floor((Math.max(heapLimitMiB - 200, 0) * 600) / 1024), 10);
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(7)} KiB`;
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(`\nWorker memory per open complaint (${complaints} routed and accepted, after a forced GC; worker, API and client in this process)`);
    console.log(`rss       ${kib((open.rss - baseline.rss) / complaints)}   (${mib(baseline.rss)} → ${mib(open.rss)})`);
    console.log(`heapUsed  ${kib((open.heapUsed - baseline.heapUsed) / complaints)}   (${mib(baseline.heapUsed)} → ${mib(open.heapUsed)})`);
    console.log(
      `rss counts everything the process holds: the workflow thread's V8 heap with the cached workflows, the Rust core's\n` +
        `sticky caches and buffers, the client's and PostgreSQL's connections. heapUsed is the main thread's heap only (activities,\n` +
        `client, handles kept by this benchmark), not the workflows, which run in a worker thread with a heap of its own.\n` +
        `The worker caches up to maxCachedWorkflows (default here ${cache}, from a ${mib(heapLimitMiB * 2 ** 20)} heap limit) workflows;\n` +
        `${complaints > cache ? 'more open complaints than that are evicted and replayed on their next task, so the figure is per cached workflow' : 'all of them fit in it, so this is the cost of a cached open complaint'}.`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('Cleanup step failed:', err));
  }
}

async function insertComplaints(runtime: LaporRuntime, n: number, official: Official) {
  const { db, crypto } = runtime;
  return db.transaction().execute(async (trx) => {
    const phoneHash = crypto.lookupHash('phone', CITIZEN_PHONE);
    const reporterId = await complaintsRepo.upsertReporter(trx, phoneHash, crypto.encrypt(CITIZEN_PHONE));
    // The citizen and the official have just written (the report, a command): messages to them go
    // free-form inside WhatsApp's 24-hour window. Marked dispatched, so that the API's redispatch
    // sweep leaves them alone.
    for (const who of [{ phoneHash, phoneEnc: crypto.encrypt(CITIZEN_PHONE) }, { phoneHash: official.phone_hash, phoneEnc: official.phone_enc }]) {
      const { message } = await messagesRepo.insertInboundOnce(trx, { twilioSid: `SM${randomBytes(16).toString('hex')}`, ...who, contentEnc: null, numMedia: 0 });
      await messagesRepo.markDispatched(trx, message.id);
    }
    const rows: Array<{ ticketCode: string; complaintId: number }> = [];
    for (let i = 1; i <= n; i++) {
      const ticketCode = `LK-2099-${String(i).padStart(6, '0')}`;
      const complaint = await complaintsRepo.insertComplaint(trx, {
        ticket_code: ticketCode,
        submission_key: `bench-${ticketCode}`,
        reporter_id: reporterId,
        reporter_name_enc: crypto.encrypt('Ahmad Fauzi'),
        reporter_address_enc: crypto.encrypt('Desa Kraksaan Wetan, Kec. Kraksaan'),
        nik_enc: crypto.encrypt('3513110101800003'),
        nik_hash: crypto.lookupHash('nik', '3513110101800003'),
        outside_regency: false,
        kind: 'aduan',
        category: 'infrastruktur',
        category_inferred: false,
        description: 'Jalan berlubang di depan balai desa.',
        location_text: null,
        kecamatan: 'Kraksaan',
        latitude: null,
        longitude: null,
        status: 'received',
        opd_unit_id: null,
        submitted_at: new Date(),
      });
      rows.push({ ticketCode, complaintId: complaint.id });
    }
    return rows;
  });
}

async function waitForView(handle: WorkflowHandle<typeof complaintWorkflow>, ok: (view: ComplaintView) => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (ok(await handle.query(complaintViewQuery))) return;
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} did not reach the expected state`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs fn over items with at most `concurrency` in flight. */
async function pool<T>(items: T[], fn: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

// ---- 3: the history of a three-year complaint on the time-skipping test server -------------

async function threeYearHistory() {
  const serverPath = process.env.TEMPORAL_TEST_SERVER_PATH ?? sh('ensure-test-server.sh');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: serverPath } } });
  try {
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
    const taskQueue = `bench-lifecycle-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: plainActivities() });
    const official: Actor = { kind: 'official', officialId: 101, opdUnitId: 3, level: 1 };
    const ticketCode = 'LK-2099-900001';
    let reports = 0;
    let firstRunId: string | undefined;
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(complaintWorkflow, { workflowId: ticketCode, taskQueue, args: [{ ticketCode, complaintId: 1 }] });
      firstRunId = handle.firstExecutionRunId;
      try {
        await waitForView(handle, (v) => v.status === 'routed');
        await handle.executeUpdate(acceptUpdate, { args: [{ actor: official, difficulty: 'berat' }] });
        // Three years (1,095 days; the berat target) less a few days, a report every 28 days.
        for (; (reports + 1) * 28 < 3 * 365; reports++) {
          await env.sleep(28 * DAY);
          await handle.executeUpdate(progressUpdate, { args: [{ actor: official, note: `Laporan bulan ${reports + 1}` }] });
        }
        const latest = env.client.workflow.getHandle(ticketCode);
        await latest.executeUpdate(resolveUpdate, { args: [{ actor: official, note: 'Jembatan selesai dibangun' }] });
        await latest.executeUpdate(confirmUpdate, { args: [{ actor: { kind: 'citizen' } }] });
        // The rating window (30 days) passes and the workflow completes.
        await latest.result();
      } finally {
        await env.client.workflow.getHandle(ticketCode).terminate().catch(() => undefined);
      }
    });

    console.log(`\nHistory of a three-year complaint (berat, time-skipping test server): accept, ${reports} progress reports 28 days apart, resolve, confirm, 30-day rating window`);
    // From the first run, along the continue-as-new chain.
    let runId = firstRunId;
    const counts: number[] = [];
    while (runId) {
      const history = await env.client.workflow.getHandle(ticketCode, runId).fetchHistory();
      const events = history.events ?? [];
      counts.push(events.length);
      runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    counts.forEach((n, i) => console.log(`run ${i + 1}: ${n} events`));
    console.log(`total ${counts.reduce((a, b) => a + b, 0)} events in ${counts.length} run${counts.length === 1 ? '' : 's'}`);
  } finally {
    await env.teardown();
  }
}

/** The complaint activities as plain objects, as in test/workflow/complaint-lifecycle.test.ts. */
function plainActivities(): ComplaintActivities {
  return {
    async routeComplaint(input) {
      const summary = 'Jalan rusak';
      return input.opdUnitId === 2 ? { opdUnitId: 2, opdCode: 'DINKES', opdName: 'Dinas Kesehatan', summary } : { opdUnitId: 3, opdCode: 'DPUPR', opdName: 'Dinas Pekerjaan Umum dan Penataan Ruang', summary };
    },
    async loadLifecycleContext() {
      return { policy: DEFAULT_POLICY, holidays: [] };
    },
    async recordTransition() {},
    async notifyCitizen() {
      return { delivered: true };
    },
    async sendReceipt() {
      return { delivered: true };
    },
    async notifyOfficials() {
      return { notified: 1, failed: 0 };
    },
  };
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
