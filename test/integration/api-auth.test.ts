import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument, apiRoutes } from '../../api/v1';
import * as tokensRepo from '../../db/repositories/api-tokens';
import { createToken, revokeToken } from '../../services/api-tokens';
import { callApi, issueToken } from '../support/api';
import { startTestStack, type TestStack } from '../support/runtime';

// Authentication, roles, hardening and the OpenAPI document of the admin API, against the real
// service on PostgreSQL and the Temporal dev server.

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ CORS_ALLOWED_ORIGINS: 'https://dasbor.probolinggokab.go.id' });
});

afterAll(async () => {
  await stack?.stop();
});

describe('authentication', () => {
  it('answers 401 as a problem without a token, with a malformed one and with an unknown one', async () => {
    for (const token of [undefined, 'not-a-token', 'lk4_' + 'x'.repeat(43)]) {
      const answer = await callApi(stack, token, '/api/v1/stats');
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
      expect(answer.body).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401 });
    }
  });

  it('stores only the hash and refuses a revoked token', async () => {
    const { token, record } = await createToken(stack.runtime.db, { name: 'revoked soon', role: 'viewer' });
    expect(record.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await tokensRepo.listTokens(stack.runtime.db))).not.toContain(token);
    expect((await callApi(stack, token, '/api/v1/stats')).status).toBe(200);
    await revokeToken(stack.runtime.db, record.id);
    expect((await callApi(stack, token, '/api/v1/stats')).status).toBe(401);
  });

  it('answers 403 when the role may not do it', async () => {
    const viewer = await issueToken(stack, 'viewer');
    const answer = await callApi(stack, viewer, '/api/v1/audit');
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ status: 403, title: 'Forbidden' });
  });

  it('does not let an Open311 key use the admin API', async () => {
    const key = await issueToken(stack, 'open311');
    expect((await callApi(stack, key, '/api/v1/stats')).status).toBe(401);
  });
});

describe('hardening', () => {
  it('sends security headers and keeps CORS closed to unknown origins', async () => {
    const answer = await callApi(stack, undefined, '/healthz', { headers: { origin: 'https://evil.example' } });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('strict-transport-security')).toBeTruthy();
    expect(answer.headers.get('content-security-policy')).toBeTruthy();
    expect(answer.headers.get('x-powered-by')).toBeNull();
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await callApi(stack, undefined, '/healthz', { headers: { origin: 'https://dasbor.probolinggokab.go.id' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dasbor.probolinggokab.go.id');
  });

  it('refuses an oversized body and malformed JSON with a problem, never a stack trace', async () => {
    const admin = await issueToken(stack, 'admin');
    const big = await callApi(stack, admin, '/api/v1/holidays', { body: { name: 'x'.repeat(200_000) } });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ status: 413, detail: 'The request body is too large.' });
    const response = await fetch(`${stack.runtime.url}/api/v1/holidays`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: '{"date": ',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('answers unknown paths with a 404 problem', async () => {
    const answer = await callApi(stack, undefined, '/api/v1/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ status: 404, title: 'Not Found' });
  });
});

describe('rate limit on failed authentication', () => {
  it('answers 429 after too many failures from one address, and successes do not count', async () => {
    const limited = await startTestStack({ API_AUTH_FAILURE_LIMIT: '3' });
    try {
      const viewer = await issueToken(limited, 'viewer');
      for (let i = 0; i < 5; i++) expect((await callApi(limited, viewer, '/api/v1/stats')).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await callApi(limited, 'lk4_wrong', '/api/v1/stats')).status).toBe(401);
      const blocked = await callApi(limited, 'lk4_wrong', '/api/v1/stats');
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ status: 429 });
    } finally {
      await limited.stop();
    }
  });
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document and is served at /api/v1/openapi.json', async () => {
    const answer = await callApi(stack, undefined, '/api/v1/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(answer.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists exactly the routes the API serves, and each answers (not 404) when called', async () => {
    const document = openApiDocument(apiRoutes(stack.runtime.apiDeps!)) as { paths: Record<string, Record<string, unknown>> };
    const admin = await issueToken(stack, 'admin');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ path, method })));
    expect(operations.length).toBeGreaterThan(0);
    for (const { path, method } of operations) {
      const concrete = path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'code' ? 'LK-2000-000001' : '999999'));
      const response = await fetch(`${stack.runtime.url}/api/v1${concrete}`, {
        method: method.toUpperCase(),
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: ['get', 'delete'].includes(method) ? undefined : '{}',
      });
      // A route that exists answers for itself (validation, not found in the data, ...), never
      // with the catch-all 404 of an unknown path, whose problem has no detail.
      const body = (response.headers.get('content-type')?.includes('json') ? await response.json() : {}) as { detail?: string };
      const unknownPath = response.status === 404 && !body.detail;
      expect(unknownPath, `${method.toUpperCase()} ${path}`).toBe(false);
    }
  });
});
