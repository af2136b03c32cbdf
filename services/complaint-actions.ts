import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { AuthContext } from '../api/http/route';
import type { Db } from '../db/connect';
import * as complaintsRepo from '../db/repositories/complaints';
import * as opdRepo from '../db/repositories/opd';
import type { Difficulty } from '../domain/policy';
import {
  addNoteUpdate,
  escalateNowUpdate,
  messageCitizenUpdate,
  rejectUpdate,
  reopenUpdate,
  rerouteUpdate,
  resolveUpdate,
  setDifficultyUpdate,
  type Actor,
  type ComplaintView,
} from '../workflows/complaint';
import { audit } from './audit';

/** What an admin, operator or OPD token can do to a complaint; each one is an update of its workflow. */
export type ComplaintAction =
  | { type: 'reroute'; opd: string }
  | { type: 'set_difficulty'; difficulty: Difficulty }
  | { type: 'reject'; reason: string }
  | { type: 'escalate'; reason?: string }
  | { type: 'note'; text: string }
  | { type: 'message'; text: string }
  | { type: 'resolve'; note: string }
  | { type: 'reopen'; reason: string };

export type ActionErrorKind = 'not_found' | 'forbidden' | 'invalid' | 'refused' | 'closed';

/** Why an action was not carried out; the API turns each kind into its problem status. */
export class ComplaintActionError extends Error {
  override readonly name = 'ComplaintActionError';
  constructor(
    readonly kind: ActionErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const CLOSED_COMPLAINT_DETAIL =
  'This complaint is closed (tuntas past its rating window, rejected or withdrawn) and can no longer be changed.';

export interface ComplaintActionDeps {
  db: Db;
  temporal: { client: Client };
}

/**
 * Carries an action to the complaint workflow (ID = ticket code) as an update with a validator, so
 * the workflow decides and stays the source of truth; answers its new state. The update ID is the
 * caller's idempotency key (scoped to its token), so a retried request acts once. Every attempt
 * on a complaint the caller may act on, and every one outside an OPD token's scope, is audited
 * with its outcome; texts (reasons, notes, messages) are not copied into the audit log.
 */
export async function performComplaintAction(
  deps: ComplaintActionDeps,
  auth: AuthContext,
  ticketCode: string,
  action: ComplaintAction,
  idempotencyKey?: string,
): Promise<ComplaintView> {
  const complaint = await complaintsRepo.findByTicketCode(deps.db, ticketCode);
  if (!complaint) throw new ComplaintActionError('not_found', 'No complaint has this ticket code.');
  if (auth.role === 'opd' && complaint.opd_unit_id !== auth.opdUnitId) {
    await audit(deps.db, auth, { action: `complaint.${action.type}`, resourceType: 'complaint', resourceId: ticketCode, details: { outcome: 'refused', refusal: 'scope' } });
    throw new ComplaintActionError('forbidden', 'This complaint is handled by another OPD; an OPD token acts only on its own OPD’s complaints.');
  }

  // An 'opd' token acts as an admin too: its scope is checked above, not by the workflow.
  const actor: Actor = { kind: 'admin', name: `token:${auth.tokenId}` };
  const updateId = idempotencyKey ? `token-${auth.tokenId}:${idempotencyKey}` : randomUUID();
  const details: Record<string, unknown> = { ...actionDetails(action), idempotent: Boolean(idempotencyKey) };
  const run = await updateFor(deps.db, action, actor);

  const record = (outcome: 'done' | 'refused', extra: Record<string, unknown>) =>
    audit(deps.db, auth, { action: `complaint.${action.type}`, resourceType: 'complaint', resourceId: ticketCode, details: { ...details, outcome, ...extra } });
  try {
    const view = await run(deps.temporal.client.workflow.getHandle(ticketCode), updateId);
    await record('done', { status: view.status, level: view.level });
    return view;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      // The validator's reason, meant for people (in Bahasa Indonesia like every workflow refusal).
      const reason = err.cause?.message || 'The complaint workflow refused this action.';
      await record('refused', { refusal: 'workflow' });
      throw new ComplaintActionError('refused', reason);
    }
    if (err instanceof WorkflowNotFoundError) {
      await record('refused', { refusal: 'closed' });
      throw new ComplaintActionError('closed', CLOSED_COMPLAINT_DETAIL);
    }
    throw err;
  }
}

type Run = (handle: WorkflowHandle, updateId: string) => Promise<ComplaintView>;

async function updateFor(db: Db, action: ComplaintAction, actor: Actor): Promise<Run> {
  switch (action.type) {
    case 'reroute': {
      const unit = await opdRepo.findUnitByCode(db, action.opd);
      if (!unit || !unit.active) throw new ComplaintActionError('invalid', `There is no active OPD with the code ${action.opd}.`);
      return (h, updateId) => h.executeUpdate(rerouteUpdate, { args: [{ actor, opdUnitId: unit.id, opdCode: unit.code, opdName: unit.name }], updateId });
    }
    case 'set_difficulty':
      return (h, updateId) => h.executeUpdate(setDifficultyUpdate, { args: [{ actor, difficulty: action.difficulty }], updateId });
    case 'reject':
      return (h, updateId) => h.executeUpdate(rejectUpdate, { args: [{ actor, reason: action.reason }], updateId });
    case 'escalate':
      return (h, updateId) => h.executeUpdate(escalateNowUpdate, { args: [{ actor, reason: action.reason }], updateId });
    case 'note':
      return (h, updateId) => h.executeUpdate(addNoteUpdate, { args: [{ actor, text: action.text }], updateId });
    case 'message':
      return (h, updateId) => h.executeUpdate(messageCitizenUpdate, { args: [{ actor, text: action.text }], updateId });
    case 'resolve':
      return (h, updateId) => h.executeUpdate(resolveUpdate, { args: [{ actor, note: action.note }], updateId });
    case 'reopen':
      return (h, updateId) => h.executeUpdate(reopenUpdate, { args: [{ actor, reason: action.reason }], updateId });
  }
}

/** What the audit log keeps of an action: codes and sizes, never free text that may name people. */
function actionDetails(action: ComplaintAction): Record<string, unknown> {
  switch (action.type) {
    case 'reroute':
      return { opd: action.opd };
    case 'set_difficulty':
      return { difficulty: action.difficulty };
    case 'escalate':
      return { withReason: Boolean(action.reason) };
    case 'reject':
    case 'reopen':
      return { reasonChars: action.reason.length };
    case 'note':
    case 'message':
      return { textChars: action.text.length };
    case 'resolve':
      return { noteChars: action.note.length };
  }
}
