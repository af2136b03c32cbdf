import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';

export interface DevServer {
  address: string;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev` for a local installation, persisting to the data folder so
 * complaints survive a restart. The CLI is built from the Go module proxy on first use.
 */
export async function launchDevServer(options: {
  cliPath?: string;
  dataDir: string;
  namespace: string;
  logger: Logger;
  /** False keeps the server's state in memory (benchmarks); a local installation persists it. */
  persist?: boolean;
}): Promise<DevServer> {
  const cli = options.cliPath ?? resolveCli(options.logger);
  mkdirSync(options.dataDir, { recursive: true });
  const port = await freePort(7233);
  const uiPort = await freePort(8233);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--log-level', 'error', '--namespace', options.namespace];
  if (options.persist !== false) args.push('--db-filename', path.resolve(options.dataDir, 'temporal.db'));
  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const address = `127.0.0.1:${port}`;
  await waitUntilReachable(address, child);
  options.logger.info({ address, ui: `http://127.0.0.1:${uiPort}` }, 'Local Temporal dev server is running');
  return {
    address,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function resolveCli(logger: Logger): string {
  const cached = path.resolve('.tools/bin/temporal');
  if (existsSync(cached)) return cached;
  logger.warn('Temporal CLI not found: building it from the Go module proxy (several minutes, once)');
  return execFileSync('bash', ['scripts/ensure-temporal-cli.sh'], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
}

async function waitUntilReachable(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The Temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`The Temporal dev server did not answer at ${address}`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The preferred port when it is free, else any free port. */
async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const chosen = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(chosen));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0))!;
}
