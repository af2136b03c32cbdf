import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ComplaintActivities } from '../activities/complaint-activities';
import { addDays, addWorkingDays, nextSendWindow } from '../domain/calendar';
import * as texts from '../domain/lifecycle-messages';
import type { ComplaintStatus } from '../domain/report';
import { DIFFICULTIES, DIFFICULTY_LABELS, LEVEL_LABELS, levelLabel, milestoneDates, targetDate, type Difficulty, type LifecyclePolicy } from '../domain/policy';

/**
 * One complaint until tuntas; its workflow ID is the ticket code. A state machine:
 *
 *   received → routed → accepted → in_progress → resolved → tuntas
 *                 ↑  (reroute)                       │ dispute: back to in_progress, one level up
 *   rejected, withdrawn: from any open state
 *   admins also: set the difficulty, escalate now, add a note, message the citizen, reopen
 *   (resolved or tuntas: back to in_progress, one level up)
 *
 * Deadlines live in the state as dated timers, so they survive continue-as-new; a missed deadline
 * escalates one level up the chain of officials. Officials and citizens act through updates whose
 * validators refuse what is not theirs to do, so the sender learns why. Changes to this code must
 * go through patched() so that running complaints replay unchanged.
 */

export type { ComplaintStatus };

export type Actor =
  | { kind: 'official'; officialId: number; opdUnitId: number | null; level: number }
  | { kind: 'citizen' }
  | { kind: 'admin'; name: string };

export type TimerKind = 'accept_reminder' | 'accept_due' | 'progress_reminder' | 'progress_due' | 'milestone' | 'target_due' | 'confirm_due' | 'close';

export interface DeadlineTimer {
  kind: TimerKind;
  /** ISO instant. */
  at: string;
  /** What the deadline was: the instant a reminder or escalation refers to. */
  dueAt: string;
  fraction?: number;
}

export interface ComplaintState {
  status: ComplaintStatus;
  opdUnitId?: number;
  opdCode?: string;
  opdName?: string;
  /** The complaint's description, for escalation messages (absent in complaints routed before it was kept). */
  summary?: string;
  /** The level of the chain that answers for the complaint now (1 to policy.maxLevel). */
  level: number;
  /** Fixed at acceptance; read at routing for the acceptance deadline. */
  policy?: LifecyclePolicy;
  holidays: string[];
  difficulty?: Difficulty;
  acceptedAt?: string;
  targetAt?: string;
  lastProgressNote?: string;
  confirmBy?: string;
  rating?: number;
  timers: DeadlineTimer[];
  /** Counts transitions: makes idempotency keys of events and messages unique per transition. */
  revision: number;
}

export interface ComplaintWorkflowInput {
  ticketCode: string;
  complaintId: number;
  /** Carried over continue-as-new. */
  state?: ComplaintState;
  /** Continue-as-new threshold; lowered by tests. */
  maxHistoryEvents?: number;
  /** Send the citizen the receipt first: the complaint came in without a WhatsApp conversation (Open311). */
  sendReceipt?: boolean;
}

export interface ComplaintView {
  ticketCode: string;
  status: ComplaintStatus;
  opdCode?: string;
  level: number;
  difficulty?: Difficulty;
  targetAt?: string;
  confirmBy?: string;
  nextDeadline?: { kind: TimerKind; at: string };
}

export const complaintViewQuery = defineQuery<ComplaintView>('view');
export const acceptUpdate = defineUpdate<ComplaintView, [{ actor: Actor; difficulty: Difficulty }]>('accept');
export const progressUpdate = defineUpdate<ComplaintView, [{ actor: Actor; note: string }]>('progress');
export const resolveUpdate = defineUpdate<ComplaintView, [{ actor: Actor; note: string }]>('resolve');
export const rerouteUpdate = defineUpdate<ComplaintView, [{ actor: Actor; opdUnitId: number; opdCode: string; opdName: string }]>('reroute');
export const rejectUpdate = defineUpdate<ComplaintView, [{ actor: Actor; reason: string }]>('reject');
export const confirmUpdate = defineUpdate<ComplaintView, [{ actor: Actor }]>('confirm');
export const disputeUpdate = defineUpdate<ComplaintView, [{ actor: Actor; reason: string }]>('dispute');
export const rateUpdate = defineUpdate<ComplaintView, [{ actor: Actor; rating: number }]>('rate');
export const withdrawUpdate = defineUpdate<ComplaintView, [{ actor: Actor }]>('withdraw');
// Admin actions (the admin API); added later, so they are new handlers that old histories never saw.
export const setDifficultyUpdate = defineUpdate<ComplaintView, [{ actor: Actor; difficulty: Difficulty }]>('setDifficulty');
export const escalateNowUpdate = defineUpdate<ComplaintView, [{ actor: Actor; reason?: string }]>('escalateNow');
export const addNoteUpdate = defineUpdate<ComplaintView, [{ actor: Actor; text: string }]>('addNote');
export const messageCitizenUpdate = defineUpdate<ComplaintView, [{ actor: Actor; text: string }]>('messageCitizen');
export const reopenUpdate = defineUpdate<ComplaintView, [{ actor: Actor; reason: string }]>('reopen');

const { routeComplaint, loadLifecycleContext, recordTransition, notifyCitizen, notifyOfficials, sendReceipt } = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['PermanentSendError'] },
});

const OPEN: ComplaintStatus[] = ['received', 'routed', 'accepted', 'in_progress', 'resolved'];
const DEFAULT_MAX_HISTORY_EVENTS = 10_000;
/** After tuntas the citizen may still rate the handling for this long. */
const RATING_WINDOW_DAYS = 30;

export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintView> {
  const { ticketCode, complaintId } = input;
  const state: ComplaintState = input.state ?? { status: 'received', level: 1, holidays: [], timers: [], revision: 0 };
  let pendingChange = false;

  const nextTimer = (): DeadlineTimer | undefined => [...state.timers].sort((a, b) => a.at.localeCompare(b.at))[0];
  const view = (): ComplaintView => {
    const next = nextTimer();
    return {
      ticketCode,
      status: state.status,
      opdCode: state.opdCode,
      level: state.level,
      difficulty: state.difficulty,
      targetAt: state.targetAt,
      confirmBy: state.confirmBy,
      nextDeadline: next && { kind: next.kind, at: next.at },
    };
  };
  const now = () => new Date();
  const maxLevel = () => state.policy?.maxLevel ?? 4;

  // ---- effects -----------------------------------------------------------------------------

  async function transition(status: ComplaintStatus, event: string, actor: Actor, data: Record<string, unknown> = {}) {
    state.status = status;
    state.revision += 1;
    pendingChange = true;
    await recordTransition({
      complaintId,
      ticketCode,
      status,
      event: { type: event, actor: describeActor(actor), data },
      changes: {
        opdUnitId: state.opdUnitId,
        difficulty: state.difficulty,
        policyVersion: state.policy?.version,
        acceptedAt: state.acceptedAt,
        targetAt: state.targetAt,
        escalationLevel: state.level,
        rating: state.rating,
      },
      idempotencyKey: `${ticketCode}:${state.revision}:${event}`,
    });
  }

  const tellCitizen = (text: string, purpose: string) =>
    notifyCitizen({ complaintId, ticketCode, text, kind: 'status_update', idempotencyKey: `${ticketCode}:${state.revision}:${purpose}` });

  /** Without a text, the officials get the new-complaint announcement with its details. */
  const tellOfficials = (level: number, text: string | undefined, purpose: string, kind: 'official_notice' | 'reminder' | 'escalation' = 'official_notice') =>
    notifyOfficials({
      complaintId,
      ticketCode,
      opdUnitId: state.opdUnitId ?? null,
      level,
      text,
      kind,
      idempotencyKey: `${ticketCode}:${state.revision}:${purpose}:${level}`,
    });

  async function refreshCalendar() {
    const context = await loadLifecycleContext({ from: now().toISOString(), years: 4 });
    state.holidays = context.holidays;
    return context.policy;
  }

  // ---- deadlines ---------------------------------------------------------------------------

  const holidaySet = () => new Set(state.holidays);
  const forOfficials = (at: Date) => nextSendWindow(at, state.policy?.sendWindow).toISOString();
  const schedule = (kind: TimerKind, dueAt: Date, extra: Partial<DeadlineTimer> = {}) =>
    state.timers.push({ kind, at: forOfficials(dueAt), dueAt: dueAt.toISOString(), ...extra });
  const clearTimers = (...kinds: TimerKind[]) => {
    state.timers = state.timers.filter((t) => !kinds.includes(t.kind));
  };

  function scheduleAcceptance(from: Date) {
    const policy = state.policy!;
    clearTimers('accept_reminder', 'accept_due');
    if (state.level < maxLevel()) {
      schedule('accept_reminder', addWorkingDays(from, policy.acceptReminderWorkingDays, holidaySet()));
      schedule('accept_due', addWorkingDays(from, policy.acceptWorkingDays, holidaySet()));
    } else {
      schedule('accept_due', addDays(from, policy.topLevelRepeatDays));
    }
  }

  function scheduleProgress(from: Date) {
    const policy = state.policy!;
    clearTimers('progress_reminder', 'progress_due');
    const due = addDays(from, policy.progressIntervalDays);
    schedule('progress_reminder', addDays(due, -policy.progressReminderDaysBefore), { dueAt: due.toISOString() });
    schedule('progress_due', due);
  }

  // ---- handlers ----------------------------------------------------------------------------

  setHandler(complaintViewQuery, view);

  setHandler(
    acceptUpdate,
    async ({ actor, difficulty }) => {
      // The durations promised to the citizen are fixed now and never move silently.
      state.policy = await refreshCalendar();
      const acceptedAt = now();
      state.difficulty = difficulty;
      state.acceptedAt = acceptedAt.toISOString();
      const target = targetDate(acceptedAt, difficulty, state.policy);
      state.targetAt = target.toISOString();
      clearTimers('accept_reminder', 'accept_due');
      scheduleProgress(acceptedAt);
      for (const milestone of milestoneDates(acceptedAt, target, state.policy)) schedule('milestone', milestone.at, { fraction: milestone.fraction });
      schedule('target_due', target);
      await transition('accepted', 'accepted', actor, { difficulty, targetAt: state.targetAt, policyVersion: state.policy.version });
      await tellCitizen(texts.citizenAcceptedText({ ticketCode, opdName: state.opdName!, difficulty, targetDate: target }), 'accepted');
      return view();
    },
    { validator: ({ actor, difficulty }) => requireOfficialOfUnit(actor, state, ['routed'], difficulty) },
  );

  setHandler(
    progressUpdate,
    async ({ actor, note }) => {
      state.lastProgressNote = note;
      scheduleProgress(now());
      await transition('in_progress', 'progress_reported', actor, { note });
      await tellCitizen(texts.citizenProgressText({ ticketCode, opdName: state.opdName!, note }), 'progress');
      return view();
    },
    { validator: ({ actor, note }) => requireOfficialOfUnit(actor, state, ['accepted', 'in_progress'], note) },
  );

  setHandler(
    resolveUpdate,
    async ({ actor, note }) => {
      await refreshCalendar();
      const confirmBy = addWorkingDays(now(), state.policy!.confirmWorkingDays, holidaySet());
      state.confirmBy = confirmBy.toISOString();
      state.timers = [{ kind: 'confirm_due', at: state.confirmBy, dueAt: state.confirmBy }];
      await transition('resolved', 'resolved', actor, { note });
      await tellCitizen(texts.citizenResolvedText({ ticketCode, opdName: state.opdName!, note, confirmBy }), 'resolved');
      return view();
    },
    { validator: ({ actor, note }) => requireOfficialOfUnit(actor, state, ['accepted', 'in_progress'], note) },
  );

  setHandler(
    rerouteUpdate,
    async ({ actor, opdUnitId }) => {
      const route = await routeComplaint({ complaintId, ticketCode, opdUnitId });
      Object.assign(state, { opdUnitId: route.opdUnitId, opdCode: route.opdCode, opdName: route.opdName, level: 1 });
      clearTimers('accept_reminder', 'accept_due', 'progress_reminder', 'progress_due', 'milestone', 'target_due');
      Object.assign(state, { difficulty: undefined, acceptedAt: undefined, targetAt: undefined });
      state.policy = await refreshCalendar();
      scheduleAcceptance(now());
      await transition('routed', 'rerouted', actor, { opdCode: route.opdCode });
      await tellOfficials(1, undefined, 'rerouted');
      await tellCitizen(texts.citizenReroutedText({ ticketCode, opdName: route.opdName }), 'rerouted');
      return view();
    },
    {
      validator: ({ actor, opdUnitId }) => {
        requireOfficialOfUnit(actor, state, ['routed', 'accepted', 'in_progress'], 'x');
        if (opdUnitId === state.opdUnitId) throw new Error('Laporan ini sudah berada di OPD tersebut.');
      },
    },
  );

  setHandler(
    rejectUpdate,
    async ({ actor, reason }) => {
      state.timers = [];
      await transition('rejected', 'rejected', actor, { reason });
      await tellCitizen(texts.citizenRejectedText({ ticketCode, reason, byRole: roleOf(actor) }), 'rejected');
      return view();
    },
    {
      validator: ({ actor, reason }) => {
        requireOfficialOfUnit(actor, state, ['routed', 'accepted', 'in_progress'], reason);
        if (actor.kind === 'official' && actor.level < 2) throw new Error('Penolakan laporan hanya dapat dilakukan oleh Kepala OPD atau pejabat di atasnya.');
      },
    },
  );

  setHandler(
    confirmUpdate,
    async ({ actor }) => {
      await closeAsTuntas(actor, false);
      return view();
    },
    { validator: ({ actor }) => requireCitizen(actor, state, ['resolved']) },
  );

  setHandler(
    disputeUpdate,
    async ({ actor, reason }) => {
      state.level = Math.min(state.level + 1, maxLevel());
      state.confirmBy = undefined;
      state.timers = [];
      scheduleProgress(now());
      if (state.targetAt) schedule('target_due', new Date(state.targetAt));
      await transition('in_progress', 'disputed', actor, { reason, level: state.level });
      await tellOfficials(state.level, texts.officialDisputeText({ ticketCode, reason, level: state.level }), 'disputed', 'escalation');
      await tellCitizen(texts.citizenReopenedText({ ticketCode, level: state.level }), 'disputed');
      return view();
    },
    {
      validator: ({ actor, reason }) => {
        requireCitizen(actor, state, ['resolved']);
        if (!reason.trim()) throw new Error('Mohon sertakan alasan mengapa laporan belum tuntas.');
      },
    },
  );

  setHandler(
    rateUpdate,
    async ({ actor, rating }) => {
      state.rating = rating;
      await transition(state.status, 'rated', actor, { rating });
      await tellCitizen(texts.citizenRatingThanksText({ ticketCode, rating }), 'rated');
      return view();
    },
    {
      validator: ({ actor, rating }) => {
        requireCitizen(actor, state, ['tuntas']);
        if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new Error('Nilai harus angka 1 sampai 5.');
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async ({ actor }) => {
      state.timers = [];
      await transition('withdrawn', 'withdrawn', actor);
      await tellCitizen(texts.citizenWithdrawnText({ ticketCode }), 'withdrawn');
      if (state.opdUnitId) await tellOfficials(state.level, texts.officialWithdrawnText({ ticketCode }), 'withdrawn');
      return view();
    },
    { validator: ({ actor }) => requireCitizen(actor, state, ['received', 'routed', 'accepted', 'in_progress']) },
  );

  // ---- admin actions -------------------------------------------------------------------------

  setHandler(
    setDifficultyUpdate,
    async ({ actor, difficulty }) => {
      // The target counts from the original acceptance under the policy fixed then.
      const previous = state.difficulty;
      const acceptedAt = new Date(state.acceptedAt!);
      const target = targetDate(acceptedAt, difficulty, state.policy!);
      state.difficulty = difficulty;
      state.targetAt = target.toISOString();
      clearTimers('milestone', 'target_due');
      // Milestones of the new target that lie in the past are not announced late; a target that
      // has already passed fires at once and escalates.
      for (const milestone of milestoneDates(acceptedAt, target, state.policy!)) {
        if (milestone.at.getTime() > now().getTime()) schedule('milestone', milestone.at, { fraction: milestone.fraction });
      }
      schedule('target_due', target);
      await transition(state.status, 'difficulty_changed', actor, { from: previous, to: difficulty, targetAt: state.targetAt });
      await tellCitizen(texts.citizenDifficultyChangedText({ ticketCode, opdName: state.opdName!, difficulty, targetDate: target }), 'difficulty');
      await tellOfficials(state.level, texts.officialDifficultyChangedText({ ticketCode, opdName: state.opdName!, difficulty, targetDate: target }), 'difficulty');
      return view();
    },
    {
      validator: ({ actor, difficulty }) => {
        requireAdmin(actor);
        requireState(state, ['accepted', 'in_progress']);
        if (!DIFFICULTIES.includes(difficulty)) throw new Error('Tingkat kesulitan harus ringan, sedang, atau berat.');
        if (state.difficulty && difficulty === state.difficulty) throw new Error(`Tingkat kesulitan laporan ini sudah ${DIFFICULTY_LABELS[state.difficulty]}.`);
      },
    },
  );

  setHandler(
    escalateNowUpdate,
    async ({ actor, reason }) => {
      const from = state.level;
      state.level = from + 1;
      // Waiting for acceptance, the new level gets a full acceptance period of its own (as after a
      // missed one); progress and target deadlines stay where they are.
      if (state.status === 'routed') scheduleAcceptance(now());
      const why = reason?.trim() || undefined;
      await transition(state.status, 'escalated', actor, { what: 'admin', from, to: state.level, reason: why });
      const text = texts.officialAdminEscalationText({ ticketCode, level: state.level, fromLevel: from, opdName: state.opdName!, status: state.status, reason: why, maxLevel: maxLevel() });
      await tellOfficials(state.level, text, 'escalated-admin', 'escalation');
      return view();
    },
    {
      validator: ({ actor }) => {
        requireAdmin(actor);
        requireState(state, ['routed', 'accepted', 'in_progress']);
        if (state.level >= maxLevel()) throw new Error(`Laporan ini sudah berada di tingkat tertinggi (${levelLabel(state.level)}).`);
      },
    },
  );

  setHandler(
    addNoteUpdate,
    async ({ actor, text }) => {
      // Internal: on the timeline only, nobody is messaged.
      await transition(state.status, 'note_added', actor, { text: text.trim() });
      return view();
    },
    { validator: ({ actor, text }) => requireAdminText(actor, text) },
  );

  setHandler(
    messageCitizenUpdate,
    async ({ actor, text }) => {
      // The text itself is kept (encrypted) with the outgoing message, not on the timeline.
      await transition(state.status, 'admin_message', actor, { chars: text.trim().length });
      await tellCitizen(texts.citizenAdminMessageText({ ticketCode, text }), 'admin-message');
      return view();
    },
    { validator: ({ actor, text }) => requireAdminText(actor, text) },
  );

  setHandler(
    reopenUpdate,
    async ({ actor, reason }) => {
      const from = state.status;
      state.level = Math.min(state.level + 1, maxLevel());
      state.confirmBy = undefined;
      state.timers = [];
      scheduleProgress(now());
      if (state.targetAt) {
        // A target already passed repeats as at the top level instead of escalating again at once.
        const target = new Date(state.targetAt);
        if (target.getTime() > now().getTime()) schedule('target_due', target);
        else schedule('target_due', addDays(now(), state.policy!.topLevelRepeatDays), { dueAt: state.targetAt });
      }
      await transition('in_progress', 'reopened', actor, { reason, from, level: state.level });
      await tellOfficials(state.level, texts.officialReopenedByAdminText({ ticketCode, reason, level: state.level }), 'reopened', 'escalation');
      await tellCitizen(texts.citizenReopenedByAdminText({ ticketCode, level: state.level }), 'reopened');
      return view();
    },
    {
      validator: ({ actor, reason }) => {
        requireAdmin(actor);
        requireState(state, ['resolved', 'tuntas']);
        if (!reason?.trim()) throw new Error('Mohon sertakan alasan membuka kembali laporan.');
      },
    },
  );

  async function closeAsTuntas(actor: Actor, automatic: boolean) {
    // The rating window is set before anything is awaited, so the life does not end meanwhile.
    state.timers = [{ kind: 'close', at: addDays(now(), RATING_WINDOW_DAYS).toISOString(), dueAt: now().toISOString() }];
    await transition('tuntas', automatic ? 'closed_automatically' : 'confirmed', actor);
    await tellCitizen(texts.citizenTuntasText({ ticketCode, automatic }), 'tuntas');
  }

  // ---- deadlines that pass -----------------------------------------------------------------

  async function escalate(what: 'accept' | 'progress' | 'target', dueAt: Date) {
    const responsible = state.level;
    state.level = Math.min(state.level + 1, maxLevel());
    await transition(state.status, 'escalated', { kind: 'admin', name: 'system' }, { what, from: responsible, to: state.level, dueAt: dueAt.toISOString() });
    const text = texts.officialEscalationText({
      ticketCode,
      level: state.level,
      what,
      dueAt,
      lateSince: dueAt,
      responsibleRole: LEVEL_LABELS[responsible],
      opdName: state.opdName!,
      summary: state.summary ?? '',
    });
    await tellOfficials(state.level, text, `escalated-${what}`, 'escalation');
  }

  async function fire(timer: DeadlineTimer) {
    state.timers = state.timers.filter((t) => t !== timer);
    const dueAt = new Date(timer.dueAt);
    const reminder = (what: 'accept' | 'progress') => {
      state.revision += 1;
      return tellOfficials(state.level, texts.officialReminderText({ ticketCode, what, dueAt, opdName: state.opdName! }), `reminder-${what}`, 'reminder');
    };
    switch (timer.kind) {
      case 'accept_reminder':
        return reminder('accept');
      case 'accept_due':
        await escalate('accept', dueAt);
        return scheduleAcceptance(now());
      case 'progress_reminder':
        return reminder('progress');
      case 'progress_due':
        await escalate('progress', dueAt);
        return scheduleProgress(now());
      case 'milestone': {
        const percent = Math.round((timer.fraction ?? 0) * 100);
        const targetAt = new Date(state.targetAt!);
        state.revision += 1;
        await tellCitizen(texts.citizenMilestoneText({ ticketCode, percent, targetDate: targetAt, lastProgress: state.lastProgressNote }), `milestone-${percent}`);
        return tellOfficials(state.level, texts.officialMilestoneWarningText({ ticketCode, percent, targetDate: targetAt, opdName: state.opdName! }), `milestone-${percent}`, 'reminder');
      }
      case 'target_due':
        await escalate('target', dueAt);
        return schedule('target_due', addDays(now(), state.policy!.topLevelRepeatDays), { dueAt: timer.dueAt });
      case 'confirm_due':
        return closeAsTuntas({ kind: 'admin', name: 'system' }, true);
      case 'close':
        return;
    }
  }

  // ---- the life ----------------------------------------------------------------------------

  if (state.status === 'received') {
    // Only complaints started with the flag, so the histories of all others replay unchanged.
    if (input.sendReceipt) await sendReceipt({ complaintId, ticketCode });
    const route = await routeComplaint({ complaintId, ticketCode });
    Object.assign(state, { opdUnitId: route.opdUnitId, opdCode: route.opdCode, opdName: route.opdName, summary: route.summary });
    state.policy = await refreshCalendar();
    scheduleAcceptance(now());
    state.revision += 1;
    await tellOfficials(1, undefined, 'routed');
    state.status = 'routed';
  }

  for (;;) {
    const next = nextTimer();
    if (!next && !OPEN.includes(state.status)) break;
    pendingChange = false;
    const waitMs = next ? Math.max(0, Date.parse(next.at) - Date.now()) : undefined;
    const changed = waitMs === 0 ? false : await condition(() => pendingChange, waitMs);
    if (!changed && next) {
      // Unless an admin reopened it just as the rating window closed.
      if (next.kind === 'close' && !OPEN.includes(state.status)) break;
      await fire(next);
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof complaintWorkflow>({ ...input, state });
    }
  }
  await condition(allHandlersFinished);
  return view();
}

// ---- rules of who may do what (validators: synchronous, no I/O) ----------------------------

const STATE_REFUSAL: Record<ComplaintStatus, string> = {
  received: 'Laporan ini belum diteruskan ke OPD.',
  routed: 'Laporan ini belum diterima OPD.',
  accepted: 'Laporan ini sedang dikerjakan OPD.',
  in_progress: 'Laporan ini sedang dikerjakan OPD.',
  resolved: 'Laporan ini sudah dinyatakan selesai dan menunggu konfirmasi pelapor.',
  tuntas: 'Laporan ini sudah tuntas.',
  rejected: 'Laporan ini sudah ditolak.',
  withdrawn: 'Laporan ini sudah dibatalkan oleh pelapor.',
};

function requireState(state: ComplaintState, allowed: ComplaintStatus[]) {
  if (!allowed.includes(state.status)) throw new Error(STATE_REFUSAL[state.status]);
}

/** Officials act on their own OPD's complaints; from level 3 (Sekretaris Daerah) on, on any. Admins on any. */
function requireOfficialOfUnit(actor: Actor, state: ComplaintState, allowed: ComplaintStatus[], required: unknown) {
  if (actor.kind === 'citizen') throw new Error('Perintah ini hanya untuk petugas.');
  if (actor.kind === 'official' && actor.level < 3 && actor.opdUnitId !== state.opdUnitId) {
    throw new Error('Laporan ini bukan kewenangan OPD Anda.');
  }
  requireState(state, allowed);
  if (typeof required === 'string' && !required.trim()) throw new Error('Mohon lengkapi catatan atau alasan.');
}

function requireAdmin(actor: Actor) {
  if (actor.kind !== 'admin') throw new Error('Tindakan ini hanya untuk admin LAPOR KAND4.');
}

function requireAdminText(actor: Actor, text: string) {
  requireAdmin(actor);
  if (typeof text !== 'string' || !text.trim()) throw new Error('Mohon isi teksnya.');
}

function requireCitizen(actor: Actor, state: ComplaintState, allowed: ComplaintStatus[]) {
  if (actor.kind === 'official') throw new Error('Perintah ini hanya untuk pelapor.');
  requireState(state, allowed);
}

function describeActor(actor: Actor): string {
  if (actor.kind === 'official') return `official:${actor.officialId}`;
  if (actor.kind === 'admin') return actor.name === 'system' ? 'system' : `admin:${actor.name}`;
  return 'citizen';
}

function roleOf(actor: Actor): string {
  return actor.kind === 'official' ? LEVEL_LABELS[actor.level] : 'Admin LAPOR KAND4';
}
