import { z } from 'zod';
import { listAuditEntries } from '../../db/repositories/audit';
import { badRequest } from '../http/problem';
import { defineRoute, type RouteDef } from '../http/route';
import type { ApiDeps } from './deps';

// The audit log, newest first: every write and every reveal of personal data through the API or
// the CLI. Its details name what was touched, never the personal data itself.

const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00+07:00` : v));

/** Opaque to clients: the id of the last entry of the page, base64url-encoded. */
const encodeCursor = (id: number) => Buffer.from(`audit:${id}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^audit:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badRequest('The cursor is not valid; use the nextCursor of a previous page.');
  return Number(match[1]);
}

const auditQuery = z.object({
  token: z.coerce.number().int().positive().max(2_147_483_647).optional().describe('Only what this token (id) did.'),
  action: z.string().trim().min(1).max(100).optional().describe('E.g. complaint.reroute, official.reveal, token.create.'),
  resourceType: z.string().trim().min(1).max(100).optional().describe('E.g. complaint, official, opd_unit, policy, holiday, api_token.'),
  resourceId: z.string().trim().min(1).max(200).optional().describe('E.g. a ticket code, an official’s id, an OPD code, a date.'),
  from: instant.optional().describe('At or after this instant (a date is read as 00:00 WIB).'),
  to: instant.optional().describe('Before this instant (exclusive).'),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('Entries per page, at most 100.'),
  cursor: z.string().trim().min(1).max(200).optional().describe('The nextCursor of the previous page.'),
});

const entrySchema = z.object({
  id: z.number().int(),
  tokenId: z.number().int().nullable().describe('Null for the CLI.'),
  actor: z.string().describe("'token:<id>' or 'cli'."),
  role: z.string(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).describe('What was done (changed fields, counts); never personal data.'),
  at: z.string(),
});

export function auditRoutes(deps: ApiDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/audit',
      operationId: 'listAudit',
      summary: 'The audit log, newest first',
      description: 'Keyset pagination: follow nextCursor until it is null. Admins only.',
      tags: ['audit'],
      roles: ['admin'],
      query: auditQuery,
      responses: { 200: { description: 'A page of entries', schema: z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }) } },
      handler: async ({ query }) => {
        if (query.from && query.to && query.from >= query.to) throw badRequest('`from` must be before `to`.');
        const rows = await listAuditEntries(deps.db, {
          tokenId: query.token,
          action: query.action,
          resourceType: query.resourceType,
          resourceId: query.resourceId,
          from: query.from,
          to: query.to,
          beforeId: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
          limit: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        return {
          items: page.map((row) => ({
            id: Number(row.id),
            tokenId: row.token_id,
            actor: row.actor,
            role: row.role,
            action: row.action,
            resourceType: row.resource_type,
            resourceId: row.resource_id,
            details: row.details,
            at: row.created_at.toISOString(),
          })),
          nextCursor: rows.length > query.limit ? encodeCursor(Number(page[page.length - 1].id)) : null,
        };
      },
    }),
  ];
}
