import express, { Router } from 'express';
import { buildOpenApi, defineRoute, mountRoutes, type RouteDef } from '../http/route';
import { actionRoutes } from './actions';
import { auditRoutes } from './audit';
import { failedAuthLimiter } from '../http/failed-auth-limiter';
import { HttpProblem, PROBLEM_TYPES, sendProblem } from '../http/problem';
import { bearerAuth } from './auth';
import { complaintRoutes } from './complaints';
import type { ApiDeps } from './deps';
import { directoryRoutes } from './directory';
import { statsRoutes } from './stats';

export const API_V1_BASE = '/api/v1';

export function apiRoutes(deps: ApiDeps): RouteDef[] {
  return [...complaintRoutes(deps), ...actionRoutes(deps), ...directoryRoutes(deps), ...statsRoutes(deps), ...auditRoutes(deps)];
}

export function openApiDocument(routes: RouteDef[]): Record<string, unknown> {
  return buildOpenApi(routes, {
    title: 'LAPOR KAND4 Admin API',
    version: '1.0.0',
    description:
      'Complaints, officials, OPDs, policy and statistics of LAPOR KAND4 (Kabupaten Probolinggo). ' +
      'Roles: admin (everything), operator (triage and act on any complaint), opd (its own OPD’s complaints), ' +
      'viewer (statistics and lists without personal data). Errors are RFC 9457 problem details.',
    serverUrl: API_V1_BASE,
  });
}

/** The admin API under /api/v1, with its OpenAPI document at /api/v1/openapi.json. */
export function apiV1Router(deps: ApiDeps, options: { authFailureLimit: number }): Router {
  const router = Router();
  router.use(express.json({ limit: '100kb' }));
  router.use(
    failedAuthLimiter({
      limit: options.authFailureLimit,
      failureStatus: 401,
      tooMany: (res) => sendProblem(res, new HttpProblem(429, 'Too many failed authentication attempts; try again later.', { type: PROBLEM_TYPES.rateLimited })),
    }),
  );
  const routes = apiRoutes(deps);
  const document = openApiDocument(routes);
  const openApiRoute = defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document',
    tags: ['meta'],
    roles: 'public',
    responses: { 200: { description: 'The OpenAPI document' } },
    handler: async () => document,
  });
  mountRoutes(router, [openApiRoute, ...routes], bearerAuth(deps.db));
  return router;
}
