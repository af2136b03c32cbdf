import type { Migration } from 'kysely';
import * as initial from './20261204T0000_initial';
import * as lifecycle from './20261205T0000_lifecycle';
import * as adminApi from './20261206T0000_admin_api';
import * as open311Media from './20261206T0400_open311_media';
import * as statsCells from './20261206T0500_stats_cells';

/** Every migration, by its timestamped name; Kysely runs them in name order. */
export const migrations: Record<string, Migration> = {
  '20261204T0000_initial': initial,
  '20261205T0000_lifecycle': lifecycle,
  '20261206T0000_admin_api': adminApi,
  '20261206T0400_open311_media': open311Media,
  '20261206T0500_stats_cells': statsCells,
};
