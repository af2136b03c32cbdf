/**
 * Helpers for tests to reach the infrastructure provisioned by `npm test`
 * (scripts/test.sh) and test/support/global-setup.ts.
 */
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { inject } from 'vitest';
// Brings the ProvidedContext declarations (databaseUrl, temporalAddress) into scope.
import type {} from './global-setup.js';

/** URL of the throw-away PostgreSQL database of this test run (empty; apply your schema/migrations). */
export function testDatabaseUrl(): string {
  return requireProvided('databaseUrl', inject('databaseUrl'));
}

/** host:port of the shared Temporal dev server of this test run (namespace "default"). */
export function temporalAddress(): string {
  return requireProvided('temporalAddress', inject('temporalAddress'));
}

/** Path of the Temporal time-skipping test server executable (TEMPORAL_TEST_SERVER_PATH). */
export function testServerPath(): string {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH?.trim();
  if (!path) {
    throw new Error(
      'TEMPORAL_TEST_SERVER_PATH is not set. Run the tests through `npm test` (scripts/test.sh provisions it).',
    );
  }
  return path;
}

/**
 * Starts a private time-skipping Temporal test server (Java) for the caller.
 * Remember to `await env.teardown()` (e.g. in afterAll).
 */
export function createTimeSkippingEnv(
  opts: Omit<TimeSkippingTestWorkflowEnvironmentOptions, 'server'> & {
    server?: Omit<NonNullable<TimeSkippingTestWorkflowEnvironmentOptions['server']>, 'executable'>;
  } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    ...opts,
    server: { ...opts.server, executable: { type: 'existing-path', path: testServerPath() } },
  });
}

function requireProvided(key: string, value: string | undefined): string {
  if (!value) {
    throw new Error(
      `"${key}" was not provided by test/support/global-setup.ts. Run the tests through \`npm test\` ` +
        '(vitest.config.ts must list it in globalSetup).',
    );
  }
  return value;
}
