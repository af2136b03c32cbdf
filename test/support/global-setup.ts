/**
 * Vitest global setup (runs once per `vitest run`, in the main process).
 *
 * - Creates a throw-away PostgreSQL database `lapor_test_<hex>` on
 *   TEST_DATABASE_ADMIN_URL and provides its URL as `databaseUrl`; it is
 *   dropped (WITH (FORCE)) on teardown.
 * - Starts ONE Temporal dev server (`temporal server start-dev`, binary from
 *   TEMPORAL_CLI_PATH) on a free 127.0.0.1 port and provides its address as
 *   `temporalAddress`; it is stopped on teardown.
 *
 * The environment variables are set by scripts/test.sh, so run the tests with
 * `npm test` (extra args go to vitest: `npm test -- test/infra.test.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of this run's throw-away PostgreSQL database (empty, no schema). */
    databaseUrl: string;
    /** host:port of this run's Temporal dev server (namespace "default"). */
    temporalAddress: string;
  }
}

const TEMPORAL_NAMESPACE = 'default';
const TEMPORAL_START_TIMEOUT_MS = 60_000;
const TEMPORAL_STOP_TIMEOUT_MS = 10_000;

function log(message: string): void {
  process.stderr.write(`[global-setup] ${message}\n`);
}

function requireEnv(name: string, what: string, { executable = false } = {}): string {
  const value = process.env[name]?.trim();
  if (!value) {
    throw new Error(
      `${name} is not set (${what}). Run the tests through \`npm test\` ` +
        '(scripts/test.sh provisions it), e.g. `npm test -- test/infra.test.ts`.',
    );
  }
  if (executable) {
    try {
      accessSync(value, constants.X_OK);
    } catch {
      throw new Error(`${name}=${value} is not an executable file (${what}).`);
    }
  }
  return value;
}

// ---------------------------------------------------------------- database

async function createDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lapor_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`cannot connect to TEST_DATABASE_ADMIN_URL (${redact(adminUrl)}): ${String(err)}`, { cause: err });
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  const drop = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  return { url: url.toString(), drop };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

// ---------------------------------------------------------------- temporal

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface DevServer {
  address: string;
  stop: () => Promise<void>;
}

/**
 * Starts `temporal server start-dev` and waits until the frontend answers and
 * the namespace exists.
 *
 * The server runs under a tiny bash guard that watches its stdin (a pipe
 * from this process): when the pipe closes — on teardown, or if vitest dies,
 * even with SIGKILL — the guard terminates the server, so no dev server is
 * left behind.
 */
async function startTemporalDevServer(cliPath: string): Promise<DevServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--log-level',
    'warn',
  ];
  // The guard exits with the server (so a crash is noticed at once); a
  // background reader of the pipe (fd 3) stops the server when it closes.
  const guard = [
    '"$@" </dev/null &',
    'server=$!',
    'exec 3<&0',
    '( read -r _ <&3 || true; kill -TERM "$server" 2>/dev/null ) &',
    'exec 3<&-',
    'wait "$server"',
  ].join('\n');

  const child: ChildProcess = spawn('bash', ['-c', guard, 'temporal-dev-server', cliPath, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // Own process group, so a stuck server can be killed together with its guard.
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // The guard's stdin is our lifeline to it; never let EPIPE crash vitest.
  child.stdin?.on('error', () => {});

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      resolve();
    });
  });
  const spawnError = new Promise<never>((_, reject) => child.on('error', reject));

  const stop = async (): Promise<void> => {
    // Always close the pipe: it also ends the guard's background reader.
    child.stdin?.end();
    if (exited) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TEMPORAL_STOP_TIMEOUT_MS);
    });
    const outcome = await Promise.race([exitPromise.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      log(`temporal dev server did not stop within ${TEMPORAL_STOP_TIMEOUT_MS} ms; killing it`);
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exitPromise;
    }
  };

  const started = Date.now();
  const waitReady = async (): Promise<void> => {
    let lastError: unknown;
    while (Date.now() - started < TEMPORAL_START_TIMEOUT_MS) {
      if (exited) throw new Error(`temporal dev server exited during start-up. Output:\n${output}`);
      let connection: Connection | undefined;
      try {
        connection = await Connection.connect({ address, connectTimeout: 2_000 });
        await connection.workflowService.getSystemInfo({});
        await connection.workflowService.describeNamespace({ namespace: TEMPORAL_NAMESPACE });
        return;
      } catch (err) {
        lastError = err;
      } finally {
        await connection?.close().catch(() => {});
      }
      await sleep(200);
    }
    throw new Error(
      `temporal dev server at ${address} not ready after ${TEMPORAL_START_TIMEOUT_MS} ms ` +
        `(last error: ${String(lastError)}). Output:\n${output}`,
    );
  };

  try {
    await Promise.race([waitReady(), spawnError]);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`temporal dev server ready at ${address} in ${Date.now() - started} ms`);
  return { address, stop };
}

// ---------------------------------------------------------------- setup

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cliPath = requireEnv('TEMPORAL_CLI_PATH', 'temporal CLI used for the dev server', { executable: true });
  // Not used here, but tests need it (test/support/env.ts); fail early and clearly.
  requireEnv('TEMPORAL_TEST_SERVER_PATH', 'Temporal time-skipping test server', { executable: true });
  const adminUrl = requireEnv('TEST_DATABASE_ADMIN_URL', 'PostgreSQL admin URL used to create the test database');

  const [dbResult, temporalResult] = await Promise.allSettled([
    createDatabase(adminUrl),
    startTemporalDevServer(cliPath),
  ]);

  if (dbResult.status === 'rejected' || temporalResult.status === 'rejected') {
    // Undo whatever did start before reporting.
    if (dbResult.status === 'fulfilled') await dbResult.value.drop().catch(() => {});
    if (temporalResult.status === 'fulfilled') await temporalResult.value.stop().catch(() => {});
    const failure = dbResult.status === 'rejected' ? dbResult.reason : (temporalResult as PromiseRejectedResult).reason;
    throw failure;
  }

  const db = dbResult.value;
  const temporal = temporalResult.value;
  project.provide('databaseUrl', db.url);
  project.provide('temporalAddress', temporal.address);

  return async () => {
    const t0 = Date.now();
    const results = await Promise.allSettled([temporal.stop(), db.drop()]);
    log(`teardown took ${Date.now() - t0} ms`);
    for (const r of results) {
      if (r.status === 'rejected') log(`teardown: ${String(r.reason)}`);
    }
  };
}
