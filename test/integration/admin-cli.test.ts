import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/connect';
import * as tokensRepo from '../../db/repositories/api-tokens';
import { hashToken } from '../../services/api-tokens';
import { callApi } from '../support/api';
import { testDatabaseUrl } from '../support/env';
import { startTestStack, TEST_PII_KEY, type TestStack } from '../support/runtime';

// The token CLI (`npm run admin -- token ...`), run as a real child process against the test
// database, and the tokens it makes used against the running service.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only the variables it needs (no DATABASE_URL: the embedded database). */
function cli(args: string[], env: Record<string, string> = { DATABASE_URL: testDatabaseUrl() }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['app/admin-cli.ts', ...args],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH!, HOME: os.tmpdir(), PII_ENCRYPTION_KEY: TEST_PII_KEY, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'lapor-cli-')), ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const TOKEN_PATTERN = /lk4_[A-Za-z0-9_-]{43}/;

// Each CLI run is a Node process of its own (about a second, more on a busy machine).
describe('token CLI', { timeout: 180_000 }, () => {
  it('creates a token shown once, lists it without its hash, and revokes it', async () => {
    const name = `Operator Dinas ${randomUUID().slice(0, 8)}`;
    const created = await cli(['token', 'create', '--role', 'admin', '--name', name]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.match(TOKEN_PATTERN)![0];
    expect(created.stdout).toContain('will not be shown again');
    const id = Number(created.stdout.match(/token (\d+)/)![1]);
    const record = (await tokensRepo.listTokens(stack.runtime.db)).find((t) => t.id === id)!;
    expect(record).toMatchObject({ name, role: 'admin', token_hash: hashToken(token) });

    // The token works at once, and its creation is in the audit log as the CLI's.
    const audit = await callApi(stack, token, `/api/v1/audit?action=token.create&resourceType=api_token&resourceId=${id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ actor: 'cli', tokenId: null, details: { role: 'admin', opdUnitId: null } })]);

    const listed = await cli(['token', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ROLE\s+OPD\s+CREATED\s+LAST USED\s+REVOKED$/);
    const line = listed.stdout.split('\n').find((l) => l.startsWith(`${id} `))!;
    expect(line).toMatch(new RegExp(`^${id}\\s+${name}\\s+admin\\s+-\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+-$`));
    expect(listed.stdout).not.toContain(token);
    expect(listed.stdout).not.toMatch(/[0-9a-f]{64}/);

    const revoked = await cli(['token', 'revoke', String(id)]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked token ${id}`);
    expect((await callApi(stack, token, '/api/v1/units')).status).toBe(401);
    const relisted = await cli(['token', 'list']);
    expect(relisted.stdout.split('\n').find((l) => l.startsWith(`${id} `))).toMatch(/\d{4}-\d\d-\d\dT\S+$/);

    const again = await cli(['token', 'revoke', String(id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`No active token with id ${id}`);
  });

  it('scopes an opd token to its OPD', async () => {
    const created = await cli(['token', 'create', '--role', 'opd', '--name', 'Petugas DPUPR', '--opd', 'dpupr']);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.match(TOKEN_PATTERN)![0];
    expect((await callApi(stack, token, '/api/v1/stats?opd=DPUPR')).status).toBe(200);
    expect((await callApi(stack, token, '/api/v1/stats?opd=DINKES')).status).toBe(403);
    const id = created.stdout.match(/token (\d+)/)![1];
    expect((await cli(['token', 'list'])).stdout.split('\n').find((l) => l.startsWith(`${id} `))).toMatch(/\bopd\s+DPUPR\b/);

    const withoutOpd = await cli(['token', 'create', '--role', 'opd', '--name', 'Tanpa OPD']);
    expect(withoutOpd.code).toBe(1);
    expect(withoutOpd.stderr).toContain('--opd');
    const unknownOpd = await cli(['token', 'create', '--role', 'opd', '--name', 'OPD Fiktif', '--opd', 'NOSUCH']);
    expect(unknownOpd.code).toBe(1);
    expect(unknownOpd.stderr).toContain('No OPD with code NOSUCH');
  });

  it('answers bad arguments with exit code 2 and the usage, and --help with 0', async () => {
    const bad = [
      [],
      ['tokens', 'list'],
      ['token', 'create', '--role', 'superuser', '--name', 'x'],
      ['token', 'create', '--role', 'admin'],
      ['token', 'create', '--role', 'admin', '--name', 'x', '--colour', 'red'],
      ['token', 'revoke', 'abc'],
    ];
    // A few at a time: each is a whole Node process.
    const results: CliResult[] = [];
    for (let i = 0; i < bad.length; i += 3) results.push(...(await Promise.all(bad.slice(i, i + 3).map((args) => cli(args)))));
    results.forEach((result, i) => {
      expect(result.code, bad[i].join(' ')).toBe(2);
      expect(result.stderr, bad[i].join(' ')).toContain('Usage: npm run admin');
      expect(result.stdout).toBe('');
    });
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('token create --role <role> --name <name> [--opd <code>]');
  });

  it('works on the embedded database, and refuses it while another process holds it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lapor-cli-pglite-'));
    const created = await cli(['token', 'create', '--role', 'viewer', '--name', 'Dasbor lokal'], { DATA_DIR: dataDir });
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.match(TOKEN_PATTERN)![0];

    // As `npm start` would: this process opens the embedded database and keeps it open.
    const db = await createDatabase({ embeddedDir: path.join(dataDir, 'pglite') });
    try {
      expect((await tokensRepo.listTokens(db)).map((t) => t.token_hash)).toEqual([hashToken(token)]);
      const refused = await cli(['token', 'list'], { DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`in use by process ${process.pid}`);
      expect(refused.stderr).toContain('npm start');
    } finally {
      await db.destroy();
    }
    const listed = await cli(['token', 'list'], { DATA_DIR: dataDir });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('Dasbor lokal');
  });
});
