import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { z, type ZodType } from 'zod';
import type { ApiRole } from '../../db/schema';
import { HttpProblem, PROBLEM_TYPES } from './problem';

/**
 * One table of routes drives both Express and the OpenAPI document, so the document cannot drift
 * from what is served: each route names its roles, its zod schemas and its handler.
 */

export interface AuthContext {
  tokenId: number;
  name: string;
  role: ApiRole;
  /** Set for 'opd' tokens: the only OPD whose complaints they may see and act on. */
  opdUnitId: number | null;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Absent only on public routes. */
  auth: AuthContext;
  req: Request;
  res: Response;
}

export interface ResponseSpec {
  description: string;
  /** JSON body schema; leave out for empty answers or non-JSON bodies. */
  schema?: ZodType;
  /** For non-JSON bodies (CSV, media); JSON is the default. */
  contentType?: string;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDef<P = any, Q = any, B = any> {
  method: HttpMethod;
  /** OpenAPI style, relative to the router: '/complaints/{code}'. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it; 'public' needs no token. */
  roles: readonly ApiRole[] | 'public';
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** The first 2xx entry is the status of a successful JSON answer. */
  responses: Record<number, ResponseSpec>;
  /** Returns the JSON body, or undefined after writing the answer itself (streams, files). */
  handler(ctx: RouteContext<P, Q, B>): Promise<unknown>;
}

/** Keeps the handler's types tied to its schemas. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(route: RouteDef<P, Q, B>): RouteDef<P, Q, B> {
  return route;
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: 'path' | 'query' | 'body'): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpProblem(400, `The request ${where === 'path' ? 'path' : where} is not valid.`, {
    type: PROBLEM_TYPES.validation,
    title: 'Validation failed',
    errors: result.error.issues.map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message })),
  });
}

/** Registers the routes on an Express router; `authenticate` sets res.locals.auth or answers 401. */
export function mountRoutes(router: Router, routes: RouteDef[], authenticate: RequestHandler): void {
  for (const route of routes) {
    const expressPath = route.path.replace(/\{(\w+)\}/g, ':$1');
    const successStatus = Number(Object.keys(route.responses).find((s) => s.startsWith('2')) ?? 200);
    const guard: RequestHandler[] = route.roles === 'public' ? [] : [authenticate, requireRole(route.roles)];
    router[route.method](expressPath, ...guard, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const ctx: RouteContext<unknown, unknown, unknown> = {
          params: parse(route.params, req.params, 'path'),
          query: parse(route.query, req.query, 'query'),
          body: parse(route.body, req.body ?? {}, 'body'),
          auth: res.locals.auth as AuthContext,
          req,
          res,
        };
        const result = await route.handler(ctx);
        if (res.headersSent) return;
        if (result === undefined) res.status(successStatus).end();
        else res.status(successStatus).json(result);
      } catch (err) {
        next(err);
      }
    });
  }
}

function requireRole(roles: readonly ApiRole[]): RequestHandler {
  return (_req, res, next) => {
    const auth = res.locals.auth as AuthContext | undefined;
    if (!auth) return next(new HttpProblem(401));
    if (!roles.includes(auth.role)) return next(new HttpProblem(403, `This needs one of the roles: ${roles.join(', ')}.`));
    next();
  };
}

// ---- OpenAPI 3.1 ---------------------------------------------------------------------------

const toSchema = (schema: ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(schema: ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as { description?: string };
    return { name, in: location, required: location === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
  /** Where the routes are mounted, e.g. '/api/v1'. */
  serverUrl: string;
}

/** The OpenAPI 3.1 document of a route table. */
export function buildOpenApi(routes: RouteDef[], info: OpenApiInfo): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const contentType = spec.contentType ?? 'application/json';
      responses[status] = {
        description: spec.description,
        ...(spec.schema || spec.contentType ? { content: { [contentType]: { schema: spec.schema ? toSchema(spec.schema, 'output') : {} } } } : {}),
      };
    }
    const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
    if (route.params || route.query || route.body) responses['400'] ??= problem('The request is not valid.');
    if (route.roles !== 'public') {
      responses['401'] ??= problem('No valid bearer token.');
      responses['403'] ??= problem('The token’s role or OPD may not do this.');
    }
    paths[route.path] ??= {};
    paths[route.path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      ...(route.roles === 'public' ? { security: [] } : { 'x-roles': route.roles }),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token made with `npm run admin -- token create`.' } },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
  };
}
