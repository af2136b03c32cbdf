import { z } from 'zod';
import * as opdRepo from '../../db/repositories/opd';
import { CATEGORIES, COMPLAINT_STATUSES } from '../../domain/report';
import { complaintStatistics } from '../../services/stats';
import { badRequest, forbidden } from '../http/problem';
import { defineRoute, type RouteDef } from '../http/route';
import type { ApiDeps } from './deps';

const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');

const statsQuery = z.object({
  from: monthParam.optional().describe('First month of submission (YYYY-MM, WIB).'),
  to: monthParam.optional().describe('Last month of submission, included (YYYY-MM, WIB).'),
  opd: z.string().trim().toUpperCase().optional().describe('OPD code.'),
  category: z.enum(CATEGORIES).optional(),
  kecamatan: z.string().trim().min(1).max(100).optional(),
});

const figures = {
  count: z.number().int(),
  open: z.number().int(),
  overdueOpen: z.number().int(),
  resolvedOnTimeShare: z.number().nullable().describe('Share of the complaints resolved with a target that were resolved by it.'),
  medianDaysToAcceptance: z.number().nullable().describe('To within half a day; 30 means 30 days or more.'),
  medianDaysToTuntas: z.number().nullable().describe('To within a week; 1463 means four years or more.'),
  reopenRate: z.number().nullable().describe('Share of the complaints ever resolved that were reopened.'),
  averageRating: z.number().nullable(),
};

const statsResponse = z.object({
  generatedAt: z.string(),
  total: z.object(figures),
  byStatus: z.array(z.object({ status: z.enum(COMPLAINT_STATUSES), count: z.number().int() })),
  byCategory: z.array(z.object({ category: z.string(), ...figures })),
  byOpd: z.array(z.object({ opdCode: z.string().nullable(), opdName: z.string().nullable(), ...figures })),
  byKecamatan: z.array(z.object({ kecamatan: z.string().nullable(), ...figures })),
  byMonth: z.array(z.object({ month: z.string().describe('YYYY-MM in WIB'), ...figures })),
  overdueByLevel: z.array(z.object({ level: z.number().int(), count: z.number().int() })),
});

export function statsRoutes(deps: ApiDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/stats',
      operationId: 'getStats',
      summary: 'Complaint statistics',
      description:
        'Counts by status, category, OPD, kecamatan and month; the share resolved on time, median days to acceptance and to tuntas, ' +
        'open overdue complaints by escalation level, the reopen rate and the average rating. An opd token sees its own OPD only. ' +
        'Read from a summary kept current with every change of a complaint; periods are whole months.',
      tags: ['statistics'],
      roles: ['admin', 'operator', 'opd', 'viewer'],
      query: statsQuery,
      responses: { 200: { description: 'The statistics', schema: statsResponse } },
      handler: async ({ query, auth }) => {
        if (query.from && query.to && query.from > query.to) throw badRequest('`from` must not be after `to`.');
        let opdUnitId: number | undefined;
        if (query.opd) {
          const unit = await opdRepo.findUnitByCode(deps.db, query.opd);
          if (!unit) throw badRequest(`No OPD with code ${query.opd}.`);
          opdUnitId = unit.id;
        }
        if (auth.role === 'opd') {
          if (opdUnitId !== undefined && opdUnitId !== auth.opdUnitId) throw forbidden('This token sees only its own OPD.');
          opdUnitId = auth.opdUnitId!;
        }
        const filter = { fromMonth: query.from, toMonth: query.to, opdUnitId, category: query.category, kecamatan: query.kecamatan };
        return complaintStatistics(deps.db, filter, deps.clock());
      },
    }),
  ];
}
