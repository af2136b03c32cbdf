import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maskPhone } from '../../activities/twilio/whatsapp-sender';
import { newCitizenNumber, postSigned, waitFor, whatsappForm, type WebhookTarget } from '../support/whatsapp';

// `npm start` as a newcomer runs it: no DATABASE_URL, no TEMPORAL_ADDRESS, no Twilio credentials.
// The service runs on embedded PGlite, its own Temporal dev server and the sandbox sender, and is
// driven through HTTP only; what it would have sent is read from its sandbox log.

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lapor-kand4-e2e-'));

interface Service {
  child: ChildProcess;
  url: string;
  /** Bodies of WhatsApp messages the sandbox sender logged, by recipient. */
  sandboxMessages: Array<{ to: string; body: string }>;
}

let service: Service | undefined;

afterAll(async () => {
  if (service) await stopService(service);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startService(): Promise<Service> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port) };
  // The CLI the test run already built; without it `npm start` would build one itself.
  if (process.env.TEMPORAL_CLI_PATH) env.TEMPORAL_CLI_PATH = process.env.TEMPORAL_CLI_PATH;
  const child = spawn('npm', ['start', '--silent'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const sandboxMessages: Service['sandboxMessages'] = [];
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const lines = output.split('\n');
    output = lines.pop()!;
    for (const line of lines) {
      try {
        const entry = JSON.parse(line);
        if (entry.sid?.startsWith('SBX') && typeof entry.body === 'string') sandboxMessages.push({ to: entry.to, body: entry.body });
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', () => {});
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      return fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    },
    120_000,
    'npm start to answer /healthz',
  );
  return { child, url, sandboxMessages };
}

async function stopService(s: Service): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  process.kill(-s.child.pid!, 'SIGTERM');
  await exited;
}

function target(s: Service): WebhookTarget {
  // Sandbox mode signs with a token generated once under the data folder.
  const secrets = JSON.parse(readFileSync(path.join(dataDir, 'local-secrets.json'), 'utf8'));
  const port = new URL(s.url).port;
  return { url: s.url, publicBaseUrl: `http://localhost:${port}`, authToken: secrets.sandboxAuthToken };
}

const SARAN = [
  'Nama: Ahmad Fauzi',
  'Alamat: Desa Kraksaan Wetan, Kec. Kraksaan',
  'NIK: 3513110101800003',
  'Kategori: Pendidikan',
  'Saran: Perpustakaan desa sebaiknya buka sampai sore agar anak sekolah bisa belajar.',
].join('\n');

describe('npm start on embedded defaults', () => {
  it('takes a report, survives a restart, and still knows the complaint', { timeout: 240_000 }, async () => {
    service = await startService();
    const citizen = newCitizenNumber();
    const masked = maskPhone(citizen);

    const unsigned = await postSigned(target(service), whatsappForm(citizen, SARAN), { signature: 'forged' });
    expect(unsigned.status).toBe(403);

    const res = await postSigned(target(service), whatsappForm(citizen, SARAN));
    expect(res.status).toBe(200);
    const receipt = await waitFor(() => service!.sandboxMessages.find((m) => m.to === masked && /LK-\d{4}-\d{6}/.test(m.body)), 60_000, 'the receipt');
    const ticketCode = receipt.body.match(/LK-\d{4}-\d{6}/)![0];
    // The sandbox log masks the number and never shows the NIK.
    expect(JSON.stringify(service.sandboxMessages)).not.toContain(citizen.slice(9));
    expect(receipt.body).not.toContain('3513110101800003');

    await stopService(service);
    service = await startService();

    await postSigned(target(service), whatsappForm(citizen, `STATUS ${ticketCode}`));
    const status = await waitFor(() => service!.sandboxMessages.find((m) => m.to === masked && m.body.includes(ticketCode)), 60_000, 'the status');
    expect(status.body).toContain('Dinas Pendidikan');
  });
});
