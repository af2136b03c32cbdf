import type { Migration } from 'kysely';
import * as initial from './20261204T0000_initial';
import * as lifecycle from './20261205T0000_lifecycle';

/** Every migration, by its timestamped name; Kysely runs them in name order. */
export const migrations: Record<string, Migration> = {
  '20261204T0000_initial': initial,
  '20261205T0000_lifecycle': lifecycle,
};
