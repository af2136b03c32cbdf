// `npm run bench:intake`: signed WhatsApp webhooks at rising rates against the whole service
// (PostgreSQL, a Temporal dev server, the worker, the real twilio SDK against the fake Twilio
// server). Prints sustained webhook throughput, p50/p99 latency per rate, and the time from a
// report's last message to its acknowledgement leaving for Twilio. A benchmark, not a test.
//
// Options (environment): BENCH_RATES (default "100,200,300,400" webhooks/s), BENCH_SECONDS (per
// rate, default 10), BENCH_REPORTS (acknowledgement samples, default 100), BENCH_TEMPORAL_PERSIST
// ("true": the dev server keeps its state in SQLite, as `npm start` does; default in memory).

import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import twilio from 'twilio';
import { launchDevServer } from '../../app/temporal-dev-server';
import { startFakeTwilio } from '../../test/support/fake-twilio';

const rates = (process.env.BENCH_RATES ?? '100,200,300,400').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const reportSamples = Number(process.env.BENCH_REPORTS ?? 100);

const ACCOUNT_SID = `AC${'ab'.repeat(16)}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const PUBLIC_BASE_URL = 'https://lapor.bench.example';
const WEBHOOK_PATH = '/webhooks/twilio/whatsapp';

const execFileAsync = promisify(execFile);
const logger = pino({ level: 'warn' });
const repo = path.resolve(import.meta.dirname, '../..');
const sh = (script: string) => execFileSync('bash', [path.join(repo, 'scripts', script)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();

async function main() {
  const adminUrl = process.env.DATABASE_URL ?? sh('ensure-postgres.sh');
  const dbName = `lapor_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-'));
  const devServer = await launchDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH ?? sh('ensure-temporal-cli.sh'), dataDir, namespace: 'default', logger, persist: process.env.BENCH_TEMPORAL_PERSIST === 'true' });
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${dbName}`;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}`;
  // The API and the worker in processes of their own, as docker-compose runs them.
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl.toString(),
    TEMPORAL_ADDRESS: devServer.address,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_BASE_URL,
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  // The worker runs niced: answering Twilio is latency-bound, working through workflows is not.
  const node = [process.execPath, '--import', 'tsx', path.join(repo, 'app/main.ts')];
  const services = [
    spawn(node[0], [...node.slice(1), '--role=api'], { env, stdio: ['ignore', 'ignore', 'inherit'] }),
    spawn('nice', ['-n', '10', ...node, '--role=worker'], { env, stdio: ['ignore', 'ignore', 'inherit'] }),
  ];
  await waitUntil(() => fetch(`${url}/healthz`).then((r) => r.ok, () => false), 60_000);

  try {
    console.log(`\nWebhook load: ${seconds} s per rate, signed requests, each a new message from one of 1,000 citizens\n`);
    console.log('target/s  sustained/s   p50 ms   p99 ms   non-2xx');
    for (const rate of [50, ...rates]) {
      // Asynchronously: the fake Twilio server the worker sends to runs in this process.
      const load = await execFileAsync('npx', ['tsx', path.join(import.meta.dirname, 'webhook-load.ts'), url + WEBHOOK_PATH, PUBLIC_BASE_URL + WEBHOOK_PATH, AUTH_TOKEN, String(rate), String(rate === 50 ? 3 : seconds)]);
      if (rate === 50) continue; // warm-up: JIT, connection pools, first workflows
      const result = JSON.parse(load.stdout.trim().split('\n').pop()!);
      const sustained = result.total / (result.duration || seconds);
      console.log(
        `${String(rate).padStart(8)}  ${sustained.toFixed(1).padStart(11)}  ${result.p50.toFixed(1).padStart(7)}  ${result.p99.toFixed(1).padStart(7)}  ${String(result.non2xx + result.errors).padStart(8)}`,
      );
    }

    // Let the worker finish what the load queued before timing acknowledgements.
    for (let last = -1; last !== fake.sent.length; ) {
      last = fake.sent.length;
      await new Promise((r) => setTimeout(r, 3000));
    }
    console.log(`\nAcknowledgement latency: ${reportSamples} whole reports, last message → receipt leaving for Twilio`);
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: reportSamples }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 50)); // 20 reports/s
        const from = `whatsapp:+62813${String(i).padStart(7, '0')}`;
        const form = whatsappForm(from, REPORT);
        const sentAt = Date.now();
        const res = await fetch(url + WEBHOOK_PATH, { method: 'POST', headers: signedHeaders(form), body: new URLSearchParams(form).toString() });
        if (!res.ok) throw new Error(`Webhook answered ${res.status}`);
        const deadline = Date.now() + 60_000;
        for (;;) {
          const receipt = fake.sent.find((m) => m.To === from && /LK-\d{4}-\d{6}/.test(m.Body ?? ''));
          if (receipt) {
            latencies.push(receipt.dateCreated.getTime() - sentAt);
            return;
          }
          if (Date.now() > deadline) throw new Error('No receipt within 60 s');
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
    console.log(`p50 ${pct(50)} ms   p99 ${pct(99)} ms   max ${latencies[latencies.length - 1]} ms`);
  } finally {
    await Promise.all(services.map((child) => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'))));
    await devServer.stop();
    await fake.stop();
    await admin.query(`drop database ${dbName} with (force)`);
    await admin.end();
  }
}

const REPORT = [
  'Nama: Ahmad Fauzi',
  'Alamat: Desa Kraksaan Wetan, Kec. Kraksaan',
  'NIK: 3513110101800003',
  'Kategori: Pendidikan',
  'Saran: Perpustakaan desa sebaiknya buka sampai sore.',
].join('\n');

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('The service did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
}

function whatsappForm(from: string, body: string): Record<string, string> {
  return { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: ACCOUNT_SID, From: from, To: 'whatsapp:+6282131001001', Body: body, NumMedia: '0' };
}

function signedHeaders(form: Record<string, string>): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_BASE_URL + WEBHOOK_PATH, form),
  };
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
