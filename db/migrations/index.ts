import type { Migration } from 'kysely';
import * as initial from './20261204T0000_initial';

/** Every migration, by its timestamped name; Kysely runs them in name order. */
export const migrations: Record<string, Migration> = {
  '20261204T0000_initial': initial,
};
