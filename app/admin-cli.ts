import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, EmbeddedDatabaseInUseError, migrateToLatest, type Db } from '../db/connect';
import * as opdRepo from '../db/repositories/opd';
import * as tokensRepo from '../db/repositories/api-tokens';
import { API_ROLES, type ApiRole } from '../db/schema';
import { createToken, revokeToken } from '../services/api-tokens';
import { loadConfig } from './config';

// `npm run admin -- token create|list|revoke`: API tokens, made and revoked by whoever runs the
// service. Works on the configured database (DATABASE_URL, or the embedded one under DATA_DIR).

const USAGE = `Usage: npm run admin -- <command>

  token create --role <role> --name <name> [--opd <code>]
      Creates a bearer token and prints it once. Roles: ${API_ROLES.join(', ')}.
      An opd token needs --opd, the code of the OPD it acts for (e.g. DPUPR).
  token list
      Lists the tokens: id, name, role, OPD, created, last used, revoked.
  token revoke <id>
      Revokes a token at once.
  --help
      Shows this text.

The database is DATABASE_URL, or the embedded one under DATA_DIR (./data) when it is unset.`;

class UsageError extends Error {}

type Command = { kind: 'help' } | { kind: 'create'; role: ApiRole; name: string; opd?: string } | { kind: 'list' } | { kind: 'revoke'; id: number };

function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { role: { type: 'string' }, name: { type: 'string' }, opd: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { kind: 'help' };
  const [group, action, ...rest] = positionals;
  if (group !== 'token') throw new UsageError(group ? `Unknown command: ${group}` : 'No command given.');
  const only = (allowed: string[]) => {
    const extra = (['role', 'name', 'opd'] as const).filter((o) => values[o] !== undefined && !allowed.includes(o));
    if (extra.length > 0) throw new UsageError(`token ${action} takes no --${extra.join(', --')}`);
  };
  switch (action) {
    case 'create': {
      only(['role', 'name', 'opd']);
      if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
      if (!values.role || !(API_ROLES as readonly string[]).includes(values.role)) throw new UsageError(`--role must be one of ${API_ROLES.join(', ')}`);
      if (!values.name?.trim()) throw new UsageError('--name is required (who or what uses the token)');
      return { kind: 'create', role: values.role as ApiRole, name: values.name, opd: values.opd };
    }
    case 'list':
      only([]);
      if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
      return { kind: 'list' };
    case 'revoke': {
      only([]);
      if (rest.length !== 1 || !/^\d{1,9}$/.test(rest[0]) || Number(rest[0]) === 0) throw new UsageError('token revoke takes one token id');
      return { kind: 'revoke', id: Number(rest[0]) };
    }
    default:
      throw new UsageError(action ? `Unknown token command: ${action}` : 'token needs create, list or revoke');
  }
}

async function openDatabase(databaseUrl: string | undefined, dataDir: string): Promise<Db> {
  const embeddedDir = path.join(dataDir, 'pglite');
  try {
    const db = await createDatabase({ url: databaseUrl, embeddedDir, poolSize: 1 });
    await migrateToLatest(db);
    return db;
  } catch (err) {
    const where = databaseUrl ? 'the database at DATABASE_URL' : `the embedded database under ${embeddedDir}`;
    const hint = err instanceof EmbeddedDatabaseInUseError ? '. Stop `npm start` first, or point DATABASE_URL at a PostgreSQL server.' : '';
    throw new Error(`Cannot open ${where}: ${(err as Error).message}${hint}`, { cause: err });
  }
}

const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

async function listTokens(db: Db): Promise<string> {
  const [tokens, units] = await Promise.all([tokensRepo.listTokens(db), opdRepo.listUnits(db)]);
  if (tokens.length === 0) return 'No tokens.';
  const rows = [
    ['ID', 'NAME', 'ROLE', 'OPD', 'CREATED', 'LAST USED', 'REVOKED'],
    ...tokens.map((t) => [
      String(t.id),
      t.name,
      t.role,
      units.find((u) => u.id === t.opd_unit_id)?.code ?? '-',
      when(t.created_at),
      when(t.last_used_at),
      when(t.revoked_at),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

async function run(command: Exclude<Command, { kind: 'help' }>, db: Db): Promise<string> {
  switch (command.kind) {
    case 'create': {
      const { token, record } = await createToken(db, { name: command.name, role: command.role, opdCode: command.opd });
      const scope = command.role === 'opd' ? ` for OPD ${command.opd!.toUpperCase()}` : '';
      return [
        `Created token ${record.id} "${record.name}" (role ${record.role}${scope}):`,
        '',
        `  ${token}`,
        '',
        'Copy it now: it will not be shown again (only its hash is stored).',
      ].join('\n');
    }
    case 'list':
      return listTokens(db);
    case 'revoke':
      await revokeToken(db, command.id);
      return `Revoked token ${command.id}.`;
  }
}

/** Runs the CLI; returns the exit code (0 done, 1 failed, 2 bad arguments). */
async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  let db: Db | undefined;
  try {
    const config = loadConfig(env);
    db = await openDatabase(config.databaseUrl, config.dataDir);
    console.log(await run(command, db));
    return 0;
  } catch (err) {
    // A TokenError or ConfigError says what to fix; anything else is reported by its message.
    if (!(err instanceof Error)) throw err;
    console.error(err.message);
    return 1;
  } finally {
    await db?.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
