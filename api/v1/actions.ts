import { z } from 'zod';
import { DIFFICULTIES } from '../../domain/policy';
import { COMPLAINT_STATUSES, TICKET_CODE_PATTERN } from '../../domain/report';
import { ComplaintActionError, performComplaintAction, type ActionErrorKind } from '../../services/complaint-actions';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../http/problem';
import { defineRoute, type RouteDef } from '../http/route';
import type { ApiDeps } from './deps';

// POST /complaints/{code}/actions: what admins, operators and OPDs do to a complaint. Each action
// is an update of the complaint's workflow, which validates it against its state; the answer is
// the workflow's new view of the complaint.

const text = (what: string) => z.string().trim().min(1).max(2000).describe(what);

export const complaintActionSchema = z
  .discriminatedUnion('type', [
    z
      .object({ type: z.literal('reroute'), opd: z.string().trim().min(1).max(20).toUpperCase().describe('Code of the OPD to send it to, e.g. DINKES.') })
      .describe('Send the complaint to another OPD; it starts again at level 1 with a new acceptance period.'),
    z
      .object({ type: z.literal('set_difficulty'), difficulty: z.enum(DIFFICULTIES).describe('The new difficulty; the target is recounted from acceptance.') })
      .describe('Change the difficulty of an accepted complaint, which moves its target date.'),
    z.object({ type: z.literal('reject'), reason: text('Why; sent to the citizen.') }).describe('Reject the complaint.'),
    z
      .object({ type: z.literal('escalate'), reason: text('Why; sent to the officials of the new level.').optional() })
      .describe('Escalate one level up now, without waiting for a deadline.'),
    z.object({ type: z.literal('note'), text: text('The note; on the timeline only, sent to nobody.') }).describe('Add an internal note.'),
    z
      .object({ type: z.literal('message'), text: text('The message, sent on WhatsApp as from the LAPOR KAND4 admin.') })
      .describe('Send the citizen a message.'),
    z.object({ type: z.literal('resolve'), note: text('What was done; sent to the citizen, who is asked to confirm.') }).describe('Mark resolved.'),
    z
      .object({ type: z.literal('reopen'), reason: text('Why; sent to the officials of the new level.') })
      .describe('Reopen a resolved or tuntas complaint: back in progress, one level up.'),
  ])
  .describe('The action, by its type.');

const complaintViewSchema = z
  .object({
    ticketCode: z.string().describe('The ticket code, e.g. LK-2026-000123.'),
    status: z.enum(COMPLAINT_STATUSES),
    opdCode: z.string().optional().describe('The OPD that handles it.'),
    level: z.number().int().describe('Escalation level: 1 responsible official, 2 head of the OPD, 3 Sekretaris Daerah, 4 Bupati.'),
    difficulty: z.enum(DIFFICULTIES).optional(),
    targetAt: z.string().optional().describe('Target date (ISO 8601), set at acceptance.'),
    confirmBy: z.string().optional().describe('While resolved: until when the citizen may confirm or dispute.'),
    nextDeadline: z
      .object({ kind: z.string().describe('accept_reminder, accept_due, progress_reminder, progress_due, milestone, target_due, confirm_due or close.'), at: z.string() })
      .optional()
      .describe('The next timer of the workflow.'),
  })
  .describe('The complaint as its workflow sees it after the action.');

const problemSchema = z.object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string().optional() });

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

const PROBLEM_FOR: Record<ActionErrorKind, (detail: string) => HttpProblem> = {
  not_found: notFound,
  forbidden,
  invalid: badRequest,
  refused: conflict,
  closed: conflict,
};

export function actionRoutes(deps: ApiDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/complaints/{code}/actions',
      operationId: 'actOnComplaint',
      summary: 'Act on a complaint: reroute, set difficulty, reject, escalate, note, message, resolve, reopen',
      description:
        'The action reaches the complaint workflow as a Temporal update; the workflow refuses what its state does not allow ' +
        '(409 with the reason, in Bahasa Indonesia as officials see it) and answers its new state. An `opd` token acts only on its ' +
        'own OPD’s complaints. Send an `Idempotency-Key` header (up to 100 visible ASCII characters) to make a retried request act once. ' +
        'Every attempt is audited.',
      tags: ['complaints'],
      roles: ['admin', 'operator', 'opd'],
      params: z.object({ code: z.string().regex(TICKET_CODE_PATTERN).describe('Ticket code, e.g. LK-2026-000123.') }),
      body: complaintActionSchema,
      responses: {
        200: { description: 'Done; the complaint’s new state.', schema: complaintViewSchema },
        404: { description: 'No complaint has this ticket code.', contentType: 'application/problem+json', schema: problemSchema },
        409: { description: 'Refused by the complaint workflow, or the complaint is closed.', contentType: 'application/problem+json', schema: problemSchema },
      },
      handler: async ({ params, body, auth, req }) => {
        const key = req.get('idempotency-key');
        if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw badRequest('The Idempotency-Key header must be 1 to 100 visible ASCII characters.');
        try {
          return await performComplaintAction({ db: deps.db, temporal: deps.temporal }, auth, params.code, body, key);
        } catch (err) {
          if (err instanceof ComplaintActionError) throw PROBLEM_FOR[err.kind](err.message);
          throw err;
        }
      },
    }),
  ];
}
