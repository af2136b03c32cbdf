// Smoke test of the test infrastructure itself (scripts/test.sh + test/support/global-setup.ts).
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTimeSkippingEnv, temporalAddress, testDatabaseUrl } from './support/env.js';

describe('test infrastructure', () => {
  it('provides a throw-away PostgreSQL database that accepts queries', async () => {
    const url = testDatabaseUrl();
    expect(new URL(url).pathname).toMatch(/^\/lapor_test_[0-9a-f]+$/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; answer: number }>(
        'select current_database() as db, 40 + 2 as answer',
      );
      expect(rows[0]).toEqual({ db: new URL(url).pathname.slice(1), answer: 42 });
    } finally {
      await client.end();
    }
  });

  it('provides a running Temporal dev server', async () => {
    const connection = await Connection.connect({ address: temporalAddress() });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  });

  it('starts a time-skipping test server', async () => {
    const env = await createTimeSkippingEnv();
    try {
      expect(env.supportsTimeSkipping).toBe(true);
      const before = await env.currentTimeMs();
      await env.sleep('1 day');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
    } finally {
      await env.teardown();
    }
  });
});
