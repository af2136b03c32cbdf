import type { Response } from 'express';
import { z } from 'zod';
import { KECAMATAN } from '../../domain/kecamatan';
import { DIFFICULTIES, type Difficulty } from '../../domain/policy';
import { CATEGORIES, COMPLAINT_STATUSES, REPORT_KINDS, TICKET_CODE_PATTERN } from '../../domain/report';
import { exportComplaintsCsv, getComplaintDetail, getComplaintMedia, listComplaintPage } from '../../services/complaint-queries';
import { defineRoute, type RouteDef } from '../http/route';
import type { ApiDeps } from './deps';

// The read side of complaints: the filtered list, its CSV export, the detail and the evidence.
// Actions on a complaint are in actions.ts.

const ALL_ROLES = ['admin', 'operator', 'opd', 'viewer'] as const;
const TIMER_KINDS = ['accept_reminder', 'accept_due', 'progress_reminder', 'progress_due', 'milestone', 'target_due', 'confirm_due', 'close'] as const;

// ---- request schemas -------------------------------------------------------------------------

const normaliseKecamatan = (value: string) => KECAMATAN.find((k) => k.toLowerCase() === value.replace(/\s+/g, '').toLowerCase());

/** 'YYYY-MM-DD' is midnight WIB (the regency's day); a date-time needs its offset. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00+07:00` : value));

const booleanText = z.enum(['true', 'false']).transform((value) => value === 'true');

/** The filters shared by the list and the CSV export. */
const filterSchema = z
  .strictObject({
    status: z
      .string()
      .transform((value) => value.split(',').map((s) => s.trim()))
      .pipe(z.array(z.enum(COMPLAINT_STATUSES)).min(1))
      .optional()
      .describe(`One status or a comma-separated list: ${COMPLAINT_STATUSES.join(', ')}.`),
    category: z.enum(CATEGORIES).optional(),
    kind: z.enum(REPORT_KINDS).optional(),
    opd: z
      .string()
      .regex(/^[A-Za-z0-9]{2,20}$/)
      .optional()
      .describe('OPD code, e.g. DPUPR. An opd token may only name its own OPD.'),
    kecamatan: z
      .string()
      .refine((value) => normaliseKecamatan(value) !== undefined, 'Not a kecamatan of Kabupaten Probolinggo.')
      .transform((value) => normaliseKecamatan(value)!)
      .optional()
      .describe('A kecamatan of Kabupaten Probolinggo, e.g. Kraksaan (case does not matter).'),
    difficulty: z.enum(DIFFICULTIES as [Difficulty, ...Difficulty[]]).optional(),
    level: z.coerce.number().int().min(1).max(4).optional().describe('Escalation level: 1 official, 2 head of the OPD, 3 Sekretaris Daerah, 4 Bupati.'),
    overdue: booleanText.optional().describe('true: late on a deadline and still open; false: all others.'),
    from: instant.optional().describe('Submitted at or after: a date (midnight WIB) or a date-time with offset.'),
    to: instant.optional().describe('Submitted before (exclusive): a date (midnight WIB) or a date-time with offset.'),
    q: z.string().trim().min(1).max(200).optional().describe('Full-text search in the description (Indonesian; web search syntax: "exact phrase", -exclude, or).'),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { message: '`from` must be before `to`.', path: ['to'] });

const listQuerySchema = filterSchema.safeExtend({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1–100.'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
});

const csvQuerySchema = filterSchema.safeExtend({
  unmasked: booleanText.optional().describe('true: reporter name, NIK, address and phone in clear; admin only, audited.'),
});

const codeParams = z.strictObject({
  code: z.string().trim().toUpperCase().regex(TICKET_CODE_PATTERN, 'A ticket code looks like LK-2026-000123.').describe('Ticket code, e.g. LK-2026-000123.'),
});

const mediaParams = codeParams.extend({ id: z.uuid().describe('Evidence id, from the detail’s media list.') });

// ---- response schemas ------------------------------------------------------------------------

const timestamp = z.iso.datetime();
const nullableTimestamp = timestamp.nullable();

const summaryFields = {
  ticketCode: z.string(),
  kind: z.enum(REPORT_KINDS),
  category: z.enum(CATEGORIES),
  status: z.enum(COMPLAINT_STATUSES),
  opd: z.object({ code: z.string(), name: z.string() }).nullable().describe('The OPD handling it; null before routing.'),
  kecamatan: z.string().nullable(),
  difficulty: z.string().nullable().describe('ringan, sedang or berat; set on acceptance.'),
  escalationLevel: z.number().int(),
  overdueSince: nullableTimestamp.describe('The missed deadline it is late on, if any.'),
  submittedAt: timestamp,
  acceptedAt: nullableTimestamp,
  targetAt: nullableTimestamp,
  resolvedAt: nullableTimestamp,
  closedAt: nullableTimestamp,
  rating: z.number().int().nullable(),
};

const complaintSummary = z.object({
  ...summaryFields,
  description: z.string().describe('The first 200 characters of the description.'),
  reporter: z.object({ name: z.string(), nik: z.string() }).optional().describe('Masked (e.g. NIK 3513********0001); absent for viewers.'),
});

const complaintPage = z.object({
  items: z.array(complaintSummary),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
});

const complaintDetail = z.object({
  ...summaryFields,
  description: z.string(),
  location: z.object({ text: z.string().nullable(), kecamatan: z.string().nullable(), latitude: z.number().nullable(), longitude: z.number().nullable() }),
  outsideRegency: z.boolean().describe('The NIK was issued outside Kabupaten Probolinggo.'),
  categoryInferred: z.boolean().describe('The category was guessed from the description.'),
  policyVersion: z.number().int().nullable(),
  rejectionReason: z.string().nullable(),
  reopenCount: z.number().int(),
  reporter: z
    .object({ name: z.string(), nik: z.string(), address: z.string().optional(), phone: z.string().optional() })
    .describe('In clear for admin, operator and opd (audited as complaint.reveal); name and NIK masked for viewers.'),
  deadlines: z.object({
    source: z.enum(['workflow', 'database']).describe('workflow: the complaint workflow answered; database: it did not (e.g. closed long ago).'),
    nextDeadline: z.object({ kind: z.enum(TIMER_KINDS), at: timestamp }).nullable(),
    targetAt: nullableTimestamp,
    confirmBy: nullableTimestamp.describe('Until when the citizen may confirm or dispute a resolution.'),
  }),
  responsible: z
    .array(z.object({ id: z.number().int(), role: z.string(), level: z.number().int(), name: z.string(), phone: z.string().describe('Masked.') }))
    .describe('The active officials holding the current escalation level; names masked for viewers.'),
  timeline: z.object({
    events: z.array(z.object({ id: z.number().int(), type: z.string(), actor: z.string(), data: z.record(z.string(), z.unknown()), at: timestamp })),
    messages: z.array(
      z.object({
        id: z.number().int(),
        direction: z.enum(['inbound', 'outbound']),
        counterpart: z.enum(['citizen', 'official']),
        status: z.string().describe('Outbound: Twilio’s delivery status (queued, sent, delivered, read, failed, undelivered).'),
        errorCode: z.string().nullable(),
        templateKind: z.string().nullable().describe('Set when it went out as a WhatsApp template (outside the 24-hour window).'),
        text: z.string().optional().describe('Absent for viewers.'),
        at: timestamp,
      }),
    ),
  }),
  media: z.array(z.object({ id: z.string(), contentType: z.string(), sizeBytes: z.number().int(), url: z.string() })),
});

// ---- streaming -------------------------------------------------------------------------------

/** Writes the chunks as they come, waiting while the client is slower; stops if it goes away. */
async function streamChunks(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

// ---- routes ----------------------------------------------------------------------------------

export function complaintRoutes(deps: ApiDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/complaints',
      operationId: 'listComplaints',
      summary: 'List complaints, newest first',
      description:
        'Filters combine with AND. Keyset pagination: follow `nextCursor`; pages stay stable while new complaints arrive. ' +
        'No total count. An opd token sees only its own OPD. Reporter name and NIK are masked; viewers get no reporter.',
      tags: ['complaints'],
      roles: ALL_ROLES,
      query: listQuerySchema,
      responses: { 200: { description: 'A page of complaints', schema: complaintPage } },
      handler: async ({ query, auth, res }): Promise<z.output<typeof complaintPage>> => {
        const { limit, cursor, ...filter } = query;
        res.set('Cache-Control', 'private, no-store');
        return listComplaintPage(deps, auth, filter, { limit, cursor });
      },
    }),
    // Before /complaints/{code}, so the export is never taken for a ticket code.
    defineRoute({
      method: 'get',
      path: '/complaints.csv',
      operationId: 'exportComplaintsCsv',
      summary: 'Export the filtered list as CSV',
      description:
        'The same filters as the list, streamed as CSV (UTF-8). Reporter name and NIK are masked; `unmasked=true` gives name, NIK, ' +
        'address and phone in clear to an admin only. Every export is audited (complaint.export). Viewers get no reporter columns.',
      tags: ['complaints'],
      roles: ALL_ROLES,
      query: csvQuerySchema,
      responses: { 200: { description: 'The complaints as CSV', contentType: 'text/csv', schema: z.string() } },
      handler: async ({ query, auth, res }) => {
        const { unmasked = false, ...filter } = query;
        const csv = await exportComplaintsCsv(deps, auth, filter, { unmasked });
        res.status(200).set({
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': 'attachment; filename="lapor-kand4-complaints.csv"',
          'Cache-Control': 'private, no-store',
        });
        await streamChunks(res, csv.chunks);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/complaints/{code}',
      operationId: 'getComplaint',
      summary: 'A complaint with its timeline, deadlines and responsible officials',
      description:
        'For admin, operator and opd (own OPD only) the reporter and the officials are shown in clear: that reveal is audited ' +
        '(complaint.reveal). Viewers get masked names and no message texts.',
      tags: ['complaints'],
      roles: ALL_ROLES,
      params: codeParams,
      responses: { 200: { description: 'The complaint', schema: complaintDetail }, 404: { description: 'No complaint with that code' } },
      handler: async ({ params, auth, res }): Promise<z.output<typeof complaintDetail>> => {
        res.set('Cache-Control', 'private, no-store');
        return getComplaintDetail(deps, auth, params.code);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/complaints/{code}/media/{id}',
      operationId: 'getComplaintMedia',
      summary: 'An evidence file (photo or video) of a complaint',
      description: 'Streams the file with its content type. Audited (complaint.media.view). Not for viewers.',
      tags: ['complaints'],
      roles: ['admin', 'operator', 'opd'],
      params: mediaParams,
      responses: {
        200: { description: 'The evidence file', contentType: 'application/octet-stream' },
        404: { description: 'No such complaint, or the evidence is not this complaint’s' },
      },
      handler: async ({ params, auth, res }) => {
        const media = await getComplaintMedia(deps, auth, params.code, params.id);
        res.status(200).set({
          'Content-Type': media.contentType,
          'Content-Length': String(media.data.length),
          'Content-Disposition': 'inline',
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(media.data);
        return undefined;
      },
    }),
  ];
}
