import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from './config';
import { startRuntime, type Role } from './runtime';

// `npm start`: the whole service in one process. `--role=api` or `--role=worker` runs one half,
// as docker-compose does.

function parseRole(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith('--role='));
  const role = arg?.slice('--role='.length) ?? 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') {
    console.error(`Unknown --role=${role}; use all, api or worker`);
    process.exit(2);
  }
  return role;
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const logger = pino({ level: config.logLevel, base: { service: 'lapor-kand4' } });
// The Temporal SDK's own logs go through the same JSON logger, warnings and up.
const temporalLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
Runtime.install({
  logger: new DefaultLogger('WARN', (entry) => logger[temporalLevels[entry.level]]({ temporal: entry.meta }, entry.message)),
});
const runtime = await startRuntime(config, logger, { role: parseRole(process.argv.slice(2)) });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping');
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
