import { z } from 'zod';
import { CATEGORIES } from '../../domain/report';
import {
  activatePolicyVersion,
  createHoliday,
  createOfficial,
  createPolicyVersion,
  createUnit,
  deactivateHoliday,
  deactivateOfficial,
  deactivateUnit,
  DirectoryError,
  getPolicyVersion,
  getUnit,
  listHolidays,
  listOfficials,
  listUnits,
  policyOverview,
  updateHoliday,
  updateOfficial,
  updateUnit,
} from '../../services/directory';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../http/problem';
import { defineRoute, type RouteDef } from '../http/route';
import type { ApiDeps } from './deps';

// Officials, OPD units, the lifecycle policy and the holiday calendar: what the complaint
// lifecycle runs on. Reads are open to the roles that need them; writes are for admins only.

const ALL_ROLES = ['admin', 'operator', 'opd', 'viewer'] as const;

/** The service's refusals as problems. */
async function translated<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!(err instanceof DirectoryError)) throw err;
    const toProblem: Record<DirectoryError['kind'], (detail: string) => HttpProblem> = {
      not_found: notFound,
      invalid: badRequest,
      conflict,
      forbidden,
    };
    throw toProblem[err.kind](err.message);
  }
}

const nonEmpty = <T extends object>(value: T) => Object.values(value).some((v) => v !== undefined);
const NOTHING_TO_CHANGE = 'Give at least one field to change.';

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');
const opdCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2,20}$/, 'must be an OPD code: 2–20 letters A–Z and digits');
const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647).describe('The official’s id.') });

// ---- Officials ------------------------------------------------------------------------------

const LEVEL_DESCRIPTION = '1 responsible official (petugas), 2 head of the OPD, 3 Sekretaris Daerah, 4 Bupati.';
const officialFields = {
  name: z.string().trim().min(1).max(200).describe('Full name (stored encrypted).'),
  phone: z
    .string()
    .trim()
    .regex(/^\+62[1-9]\d{7,11}$/, 'must be an Indonesian WhatsApp number in E.164 form, e.g. +6281234567890')
    .describe('WhatsApp number in E.164 form, +62… (stored encrypted).'),
  opd: opdCode.nullable().describe('Code of the OPD, for levels 1–2; null for the regency-wide levels 3–4.'),
  level: z.number().int().min(1).max(4).describe(LEVEL_DESCRIPTION),
  role: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,49}$/, 'must be a role name like petugas_pengaduan, kepala_opd, sekretaris_daerah, bupati')
    .describe('What the official is, e.g. petugas_pengaduan, kepala_opd, sekretaris_daerah, bupati.'),
  active: z.boolean().describe('Inactive officials are kept (timelines refer to them) but are no longer told or heard.'),
};

const officialCreate = z.strictObject({
  ...officialFields,
  opd: officialFields.opd.optional(),
  active: officialFields.active.default(true),
});
const officialPatch = z.strictObject(officialFields).partial().refine(nonEmpty, NOTHING_TO_CHANGE);

const officialSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string(),
  opdCode: z.string().nullable(),
  opdName: z.string().nullable(),
  level: z.number().int(),
  levelLabel: z.string(),
  role: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const officialsQuery = z.object({
  opd: opdCode.optional().describe('Only this OPD’s officials.'),
  level: z.coerce.number().int().min(1).max(4).optional().describe(LEVEL_DESCRIPTION),
  active: booleanParam.optional().describe('Only active (true) or inactive (false) officials.'),
});

// ---- Units ----------------------------------------------------------------------------------

const categoriesField = z
  .array(z.enum(CATEGORIES))
  .max(CATEGORIES.length)
  .refine((list) => new Set(list).size === list.length, 'must not repeat a category');

const unitSchema = z.object({
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  categories: z.array(z.enum(CATEGORIES)).describe('The categories whose new complaints go to this OPD.'),
  escalationChain: z
    .array(
      z.object({
        level: z.number().int(),
        label: z.string(),
        scope: z.enum(['opd', 'regency']).describe('The OPD’s own officials (levels 1–2) or the regency-wide ones (3–4).'),
        roles: z.array(z.string()).describe('The roles of the active officials at this level.'),
        activeOfficials: z.number().int().describe('0 means nobody is told at this level.'),
      }),
    )
    .describe('Who a complaint of this OPD escalates to, up to the policy’s highest level; no personal data.'),
});

const unitParams = z.object({ code: opdCode.describe('The OPD’s code, e.g. DPUPR.') });
const unitName = z.string().trim().min(3).max(200);

// ---- Policy ---------------------------------------------------------------------------------

const days = (max: number) => z.number().int().min(1).max(max);
const years = z.number().int().min(1).max(10);

const policyValues = {
  acceptWorkingDays: days(60).describe('Working days after routing in which the OPD must accept (TERIMA).'),
  acceptReminderWorkingDays: days(59).describe('Working days after routing when the OPD is reminded to accept; less than acceptWorkingDays.'),
  targetYears: z
    .strictObject({ ringan: years, sedang: years, berat: years })
    .describe('The target in whole years after acceptance, by difficulty; ringan ≤ sedang ≤ berat.'),
  progressIntervalDays: days(365).describe('A progress report (PROGRES) is due this many days after acceptance or the last report.'),
  progressReminderDaysBefore: days(364).describe('Days before a progress report is due that the reminder goes out; less than progressIntervalDays.'),
  milestones: z
    .array(z.number().gt(0).lt(1))
    .max(10)
    .describe('Fractions of the target period (strictly ascending, between 0 and 1) at which citizen and officials are told.'),
  confirmWorkingDays: days(60).describe('Working days the citizen has to confirm (YA) or dispute (TIDAK) a resolution.'),
  topLevelRepeatDays: days(365).describe('At the top level, reminders repeat every this many days.'),
  sendWindow: z
    .strictObject({ startHour: z.number().int().min(0).max(23), endHour: z.number().int().min(1).max(24) })
    .describe('WIB hours in which officials may be messaged: [startHour:00, endHour:00), startHour < endHour.'),
  maxLevel: z.number().int().min(2).max(4).describe('The highest escalation level: 2 Kepala OPD, 3 Sekretaris Daerah, 4 Bupati.'),
};

const policyBody = z
  .strictObject({
    ...policyValues,
    activate: z.boolean().default(true).describe('Put the new version in force at once (default), or store it to activate later.'),
  })
  .superRefine((p, ctx) => {
    const problem = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (p.acceptReminderWorkingDays >= p.acceptWorkingDays) problem(['acceptReminderWorkingDays'], 'must be less than acceptWorkingDays');
    if (p.progressReminderDaysBefore >= p.progressIntervalDays) problem(['progressReminderDaysBefore'], 'must be less than progressIntervalDays');
    if (!(p.targetYears.ringan <= p.targetYears.sedang && p.targetYears.sedang <= p.targetYears.berat)) {
      problem(['targetYears'], 'must satisfy ringan ≤ sedang ≤ berat');
    }
    if (p.milestones.some((m, i) => i > 0 && m <= p.milestones[i - 1])) problem(['milestones'], 'must be strictly ascending');
    if (p.sendWindow.startHour >= p.sendWindow.endHour) problem(['sendWindow'], 'startHour must be before endHour');
  });

const policySchema = z.object(policyValues);
const policyVersionSchema = z.object({
  version: z.number().int(),
  active: z.boolean(),
  createdAt: z.string(),
  policy: policySchema,
});
const versionParams = z.object({ version: z.coerce.number().int().positive().max(2_147_483_647).describe('The policy version.') });

const POLICY_NOTE =
  'A complaint takes the policy in force when the OPD accepts it, and keeps those durations (accept, target, progress, confirmation) ' +
  'until it is tuntas: a new version applies only to complaints accepted after it is in force.';

// ---- Holidays -------------------------------------------------------------------------------

const HOLIDAY_KINDS = ['libur_nasional', 'cuti_bersama'] as const;
const holidaySchema = z.object({
  date: z.string().describe('YYYY-MM-DD (WIB).'),
  name: z.string(),
  kind: z.enum(HOLIDAY_KINDS),
  active: z.boolean(),
});
const holidayName = z.string().trim().min(3).max(200);
const dateParams = z.object({ date: z.iso.date().describe('The holiday’s date, YYYY-MM-DD.') });
const HOLIDAY_NOTE = 'Deadlines already computed keep their dates; deadlines computed from now on read the calendar as it is.';

export function directoryRoutes(deps: ApiDeps): RouteDef[] {
  const { db, crypto } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/officials',
      operationId: 'listOfficials',
      summary: 'List officials (names and WhatsApp numbers in clear; audited)',
      description:
        'Officials’ names and numbers are personal data: each read is recorded in the audit log (official.reveal, with the count). ' +
        'An opd token sees its own OPD’s officials and the regency-wide ones (levels 3–4). Viewers may not read them.',
      tags: ['directory'],
      roles: ['admin', 'operator', 'opd'],
      query: officialsQuery,
      responses: { 200: { description: 'The officials', schema: z.object({ items: z.array(officialSchema) }) } },
      handler: async ({ query, auth }) => ({
        items: await translated(listOfficials(db, crypto, auth, { opdCode: query.opd, level: query.level, active: query.active })),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/officials',
      operationId: 'createOfficial',
      summary: 'Register an official',
      description:
        'Levels 1–2 need an OPD, levels 3–4 are regency-wide and take none. A number may belong to one active official only (409). ' +
        'Messages from the number are then read as the official’s commands.',
      tags: ['directory'],
      roles: ['admin'],
      body: officialCreate,
      responses: { 201: { description: 'The new official', schema: officialSchema }, 409: { description: 'The number belongs to another active official, or the OPD is deactivated.' } },
      handler: async ({ body, auth }) => translated(createOfficial(db, crypto, auth, { ...body, opdCode: body.opd ?? null })),
    }),
    defineRoute({
      method: 'patch',
      path: '/officials/{id}',
      operationId: 'updateOfficial',
      summary: 'Change an official',
      description: 'Any of the fields; the rules of registration hold for the result. The audit log names the fields changed, never their values.',
      tags: ['directory'],
      roles: ['admin'],
      params: idParam,
      body: officialPatch,
      responses: { 200: { description: 'The official as changed', schema: officialSchema }, 404: { description: 'No such official.' }, 409: { description: 'Refused by a rule.' } },
      handler: async ({ params, body, auth }) => {
        const { opd, ...rest } = body;
        return translated(updateOfficial(db, crypto, auth, params.id, { ...rest, ...(opd !== undefined ? { opdCode: opd } : {}) }));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/officials/{id}',
      operationId: 'deactivateOfficial',
      summary: 'Deactivate an official',
      description: 'Officials are never deleted (complaint timelines refer to them): this sets active to false.',
      tags: ['directory'],
      roles: ['admin'],
      params: idParam,
      responses: { 200: { description: 'The deactivated official', schema: officialSchema }, 404: { description: 'No such official.' } },
      handler: async ({ params, auth }) => translated(deactivateOfficial(db, crypto, auth, params.id)),
    }),

    defineRoute({
      method: 'get',
      path: '/units',
      operationId: 'listUnits',
      summary: 'List the OPDs with their categories and escalation chains',
      tags: ['directory'],
      roles: ALL_ROLES,
      responses: { 200: { description: 'The OPDs', schema: z.object({ items: z.array(unitSchema) }) } },
      handler: async () => ({ items: await listUnits(db) }),
    }),
    defineRoute({
      method: 'get',
      path: '/units/{code}',
      operationId: 'getUnit',
      summary: 'One OPD',
      tags: ['directory'],
      roles: ALL_ROLES,
      params: unitParams,
      responses: { 200: { description: 'The OPD', schema: unitSchema }, 404: { description: 'No such OPD.' } },
      handler: async ({ params }) => translated(getUnit(db, params.code)),
    }),
    defineRoute({
      method: 'post',
      path: '/units',
      operationId: 'createUnit',
      summary: 'Add an OPD',
      description: 'Categories given move to the new OPD from the one serving them now: new complaints of those categories go to it.',
      tags: ['directory'],
      roles: ['admin'],
      body: z.strictObject({
        code: opdCode.describe('2–20 letters A–Z and digits, e.g. DPUPR.'),
        name: unitName,
        categories: categoriesField.default([]).describe('Categories this OPD is to serve (moved from their current OPD).'),
      }),
      responses: { 201: { description: 'The new OPD', schema: unitSchema }, 409: { description: 'The code is taken.' } },
      handler: async ({ body, auth }) => translated(createUnit(db, auth, body)),
    }),
    defineRoute({
      method: 'patch',
      path: '/units/{code}',
      operationId: 'updateUnit',
      summary: 'Change an OPD',
      description:
        '`categories` is the full list the OPD is to serve: new ones move to it from their current OPD; one it serves now cannot be ' +
        'left out (every category needs an OPD: assign it to another OPD instead). An OPD serving a category cannot be deactivated. ' +
        'Complaints already routed stay where they are.',
      tags: ['directory'],
      roles: ['admin'],
      params: unitParams,
      body: z.strictObject({ name: unitName.optional(), categories: categoriesField.optional(), active: z.boolean().optional() }).refine(nonEmpty, NOTHING_TO_CHANGE),
      responses: { 200: { description: 'The OPD as changed', schema: unitSchema }, 404: { description: 'No such OPD.' }, 409: { description: 'Refused by a rule.' } },
      handler: async ({ params, body, auth }) => translated(updateUnit(db, auth, params.code, body)),
    }),
    defineRoute({
      method: 'delete',
      path: '/units/{code}',
      operationId: 'deactivateUnit',
      summary: 'Deactivate an OPD',
      description: 'Refused (409) while it serves a category. OPDs are never deleted: complaints and tokens refer to them.',
      tags: ['directory'],
      roles: ['admin'],
      params: unitParams,
      responses: { 200: { description: 'The deactivated OPD', schema: unitSchema }, 404: { description: 'No such OPD.' }, 409: { description: 'It still serves a category.' } },
      handler: async ({ params, auth }) => translated(deactivateUnit(db, auth, params.code)),
    }),

    defineRoute({
      method: 'get',
      path: '/policy',
      operationId: 'getPolicy',
      summary: 'The lifecycle policy in force and its versions',
      description: POLICY_NOTE,
      tags: ['policy'],
      roles: ALL_ROLES,
      responses: {
        200: {
          description: 'The active version and the list of versions, newest first',
          schema: z.object({ active: policyVersionSchema.nullable(), versions: z.array(policyVersionSchema.omit({ policy: true })) }),
        },
      },
      handler: async () => policyOverview(db),
    }),
    defineRoute({
      method: 'get',
      path: '/policy/{version}',
      operationId: 'getPolicyVersion',
      summary: 'One version of the lifecycle policy',
      tags: ['policy'],
      roles: ALL_ROLES,
      params: versionParams,
      responses: { 200: { description: 'The version', schema: policyVersionSchema }, 404: { description: 'No such version.' } },
      handler: async ({ params }) => translated(getPolicyVersion(db, params.version)),
    }),
    defineRoute({
      method: 'post',
      path: '/policy',
      operationId: 'createPolicyVersion',
      summary: 'Add a version of the lifecycle policy',
      description: `The full policy; by default it becomes the only active version at once. ${POLICY_NOTE}`,
      tags: ['policy'],
      roles: ['admin'],
      body: policyBody,
      responses: { 201: { description: 'The new version', schema: policyVersionSchema } },
      handler: async ({ body, auth }) => {
        const { activate, ...values } = body;
        return createPolicyVersion(db, auth, values, { activate });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/policy/{version}/activate',
      operationId: 'activatePolicyVersion',
      summary: 'Put a stored version of the policy in force',
      description: `Makes it the only active version, e.g. to go back to an earlier one. ${POLICY_NOTE}`,
      tags: ['policy'],
      roles: ['admin'],
      params: versionParams,
      responses: { 200: { description: 'The version now in force', schema: policyVersionSchema }, 404: { description: 'No such version.' } },
      handler: async ({ params, auth }) => translated(activatePolicyVersion(db, auth, params.version)),
    }),

    defineRoute({
      method: 'get',
      path: '/holidays',
      operationId: 'listHolidays',
      summary: 'The holiday calendar (libur nasional and cuti bersama)',
      description: HOLIDAY_NOTE,
      tags: ['calendar'],
      roles: ALL_ROLES,
      query: z.object({
        year: z.coerce.number().int().min(2000).max(2200).optional().describe('Only this year’s holidays.'),
        active: booleanParam.optional().describe('Only active (true) or deactivated (false) ones.'),
      }),
      responses: { 200: { description: 'The holidays by date', schema: z.object({ items: z.array(holidaySchema) }) } },
      handler: async ({ query }) => ({ items: await listHolidays(db, query) }),
    }),
    defineRoute({
      method: 'post',
      path: '/holidays',
      operationId: 'createHoliday',
      summary: 'Add a holiday',
      description: `409 when the date is already in the calendar (change it with PATCH). ${HOLIDAY_NOTE}`,
      tags: ['calendar'],
      roles: ['admin'],
      body: z.strictObject({ date: z.iso.date().describe('YYYY-MM-DD (WIB).'), name: holidayName, kind: z.enum(HOLIDAY_KINDS) }),
      responses: { 201: { description: 'The new holiday', schema: holidaySchema }, 409: { description: 'The date is already in the calendar.' } },
      handler: async ({ body, auth }) => translated(createHoliday(db, auth, body)),
    }),
    defineRoute({
      method: 'patch',
      path: '/holidays/{date}',
      operationId: 'updateHoliday',
      summary: 'Change a holiday',
      description: HOLIDAY_NOTE,
      tags: ['calendar'],
      roles: ['admin'],
      params: dateParams,
      body: z.strictObject({ name: holidayName.optional(), kind: z.enum(HOLIDAY_KINDS).optional(), active: z.boolean().optional() }).refine(nonEmpty, NOTHING_TO_CHANGE),
      responses: { 200: { description: 'The holiday as changed', schema: holidaySchema }, 404: { description: 'No holiday on that date.' } },
      handler: async ({ params, body, auth }) => translated(updateHoliday(db, auth, params.date, body)),
    }),
    defineRoute({
      method: 'delete',
      path: '/holidays/{date}',
      operationId: 'deactivateHoliday',
      summary: 'Deactivate a holiday',
      description: `Kept for the record with active false. ${HOLIDAY_NOTE}`,
      tags: ['calendar'],
      roles: ['admin'],
      params: dateParams,
      responses: { 200: { description: 'The deactivated holiday', schema: holidaySchema }, 404: { description: 'No holiday on that date.' } },
      handler: async ({ params, auth }) => translated(deactivateHoliday(db, auth, params.date)),
    }),
  ];
}
