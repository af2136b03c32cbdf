import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import * as texts from '../domain/messages';
import { parseCitizenCommand } from '../domain/commands';
import { mergeIntoDraft, parseCommand, parseReportText, withLocation } from '../domain/report-parser';
import {
  emptyDraft,
  isDraftEmpty,
  isEvidenceContentType,
  nextMissingField,
  type ReportDraft,
  type ReportField,
} from '../domain/report';
import type { ConversationActivities } from '../activities';
import type { InboundWhatsApp } from './inbound';

/**
 * One citizen's WhatsApp dialogue (workflow ID: a keyed hash of the number, never the number).
 * It collects a report across messages, asks for what is missing one thing at a time, and on
 * completion stores the complaint and starts its complaint workflow. The run ends after a report
 * is submitted (the next message starts a new run) or after 24 idle hours.
 */

export const inboundMessageSignal = defineSignal<[InboundWhatsApp]>('inboundMessage');

/** What the conversation is waiting for; no personal data. */
export interface ConversationView {
  expecting: ReportField | null;
  filled: ReportField[];
  pendingMessages: number;
}
export const conversationViewQuery = defineQuery<ConversationView>('view');

export interface ConversationState {
  draft: ReportDraft;
  expecting: ReportField | null;
  /** Recent MessageSids, so a repeated delivery changes nothing. */
  seenMessageSids: string[];
  pending: InboundWhatsApp[];
  /** Fixed once per draft so a retried submission finds the same complaint. */
  submissionKey?: string;
  /** The citizen's WhatsApp address; the workflow ID is a keyed hash of it. */
  sender?: string;
}

export interface ConversationInput {
  idleTimeoutMs?: number;
  /** Continue-as-new threshold; lowered by tests. */
  maxHistoryEvents?: number;
  state?: ConversationState;
}

export type ConversationOutcome = { ended: 'submitted'; ticketCodes: string[] } | { ended: 'idle' };

const DEFAULT_IDLE_TIMEOUT_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_HISTORY_EVENTS = 5_000;
const REMEMBERED_MESSAGE_SIDS = 200;

const { sendWhatsApp, saveEvidence, submitReport, startComplaint, lookupStatus, handleCitizenCommand } = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    nonRetryableErrorTypes: ['PermanentSendError'],
  },
});

export async function conversationWorkflow(input: ConversationInput = {}): Promise<ConversationOutcome> {
  const idleTimeoutMs = input.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxHistoryEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const state: ConversationState = input.state ?? {
    draft: emptyDraft(),
    expecting: null,
    seenMessageSids: [],
    pending: [],
  };
  const ticketCodes: string[] = [];

  setHandler(inboundMessageSignal, (message) => {
    if (state.seenMessageSids.includes(message.messageSid)) return;
    state.seenMessageSids = [...state.seenMessageSids, message.messageSid].slice(-REMEMBERED_MESSAGE_SIDS);
    state.pending.push(message);
  });
  setHandler(conversationViewQuery, () => ({
    expecting: state.expecting,
    filled: filledFields(state.draft),
    pendingMessages: state.pending.length,
  }));

  for (;;) {
    const gotMessage = await condition(() => state.pending.length > 0, idleTimeoutMs);
    if (!gotMessage) {
      if (state.sender && !isDraftEmpty(state.draft)) await reply(state.sender, texts.idleTimeoutText());
      return { ended: 'idle' };
    }
    const message = state.pending.shift()!;
    state.sender = message.from;
    const ticketCode = await handleMessage(state, message);
    if (ticketCode) ticketCodes.push(ticketCode);

    if (state.pending.length === 0 && ticketCodes.length > 0) {
      return { ended: 'submitted', ticketCodes };
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxHistoryEvents) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof conversationWorkflow>({ idleTimeoutMs, maxHistoryEvents, state });
    }
  }
}

/** Handles one message; returns the ticket code when it completed a report. */
async function handleMessage(state: ConversationState, message: InboundWhatsApp): Promise<string | undefined> {
  const command = parseCommand(message.body);
  if (command && message.media.length === 0) {
    await reply(message.from, await answerCommand(state, command, message.from));
    return undefined;
  }
  // YA, TIDAK, NILAI or BATAL with a ticket code: the citizen acts on a complaint of theirs.
  if (parseCitizenCommand(message.body) && message.media.length === 0) {
    const outcome = await handleCitizenCommand({ from: message.from, body: message.body, inboundMessageId: message.messageId });
    if (outcome?.reply) await reply(message.from, outcome.reply);
    return undefined;
  }

  const notes: string[] = [];
  let nikRejected = false;
  if (message.body.trim() !== '') {
    const merged = mergeIntoDraft(state.draft, parseReportText(message.body, state.expecting ?? undefined));
    state.draft = merged.draft;
    nikRejected = merged.nikError !== undefined;
    if (merged.nikError) notes.push(texts.nikErrorText(merged.nikError));
    else if (merged.categoryUnrecognised) notes.push(texts.categoryNotRecognisedText());
  }
  if (message.latitude !== undefined && message.longitude !== undefined) {
    state.draft = withLocation(state.draft, message.latitude, message.longitude, message.locationLabel);
  }
  for (const [index, media] of message.media.entries()) {
    const note = await collectEvidence(state, message, index, media.url, media.contentType);
    if (note) notes.push(note);
  }

  const next = nextMissingField(state.draft);
  if (next) {
    state.expecting = next;
    // The NIK error already asks for the NIK again.
    if (!(next === 'nik' && nikRejected)) notes.push(texts.questionFor(next, state.draft));
    await reply(message.from, notes.join('\n\n'));
    return undefined;
  }
  return submit(state, message.from, notes);
}

async function collectEvidence(
  state: ConversationState,
  message: InboundWhatsApp,
  mediaIndex: number,
  url: string,
  contentType: string,
): Promise<string | undefined> {
  if (!isEvidenceContentType(contentType)) return texts.mediaRejectedText(contentType);
  const saved = await saveEvidence({ inboundMessageId: message.messageId, mediaIndex, url, contentType });
  switch (saved.outcome) {
    case 'saved':
      state.draft = { ...state.draft, evidence: [...state.draft.evidence, saved.evidence] };
      return undefined;
    case 'too_large':
      return texts.mediaTooLargeText(saved.maxMegabytes);
    case 'not_allowed':
      return texts.mediaRejectedText(contentType);
    case 'unavailable':
      return texts.mediaFailedText();
  }
}

async function submit(state: ConversationState, from: string, notes: string[]): Promise<string> {
  state.submissionKey ??= uuid4();
  const { ticketCode, complaintId } = await submitReport({ submissionKey: state.submissionKey, from, draft: state.draft });
  // A workflow of its own, not a child: a complaint lives for years, long after this dialogue.
  await startComplaint({ ticketCode, complaintId });
  notes.push(texts.receiptText({ ticketCode, draft: state.draft }));
  await reply(from, notes.join('\n\n'), complaintId);
  state.draft = emptyDraft();
  state.expecting = null;
  state.submissionKey = undefined;
  return ticketCode;
}

async function answerCommand(
  state: ConversationState,
  command: NonNullable<ReturnType<typeof parseCommand>>,
  from: string,
): Promise<string> {
  switch (command.type) {
    case 'help':
      return texts.helpText();
    case 'greeting':
      return isDraftEmpty(state.draft) ? texts.welcomeText() : texts.questionFor(state.expecting ?? 'name', state.draft);
    case 'status_missing_code':
      return texts.statusMissingCodeText();
    case 'status': {
      const status = await lookupStatus({ ticketCode: command.ticketCode, from });
      return status.found
        ? texts.statusText({
            ticketCode: command.ticketCode,
            status: status.status,
            opdName: status.opdName,
            submittedAt: new Date(status.submittedAt),
          })
        : texts.statusNotFoundText(command.ticketCode);
    }
    case 'cancel':
      if (isDraftEmpty(state.draft)) return texts.nothingToCancelText();
      state.draft = emptyDraft();
      state.expecting = null;
      state.submissionKey = undefined;
      return texts.cancelledText();
  }
}

async function reply(to: string, text: string, complaintId?: number): Promise<void> {
  // uuid4() is deterministic in a workflow: the same send gets the same key on replay and retry.
  await sendWhatsApp({ idempotencyKey: uuid4(), to, text, complaintId });
}

function filledFields(draft: ReportDraft): ReportField[] {
  const filled: ReportField[] = [];
  if (draft.name) filled.push('name');
  if (draft.address) filled.push('address');
  if (draft.nik) filled.push('nik');
  if (draft.description) filled.push('description');
  if (draft.category) filled.push('category');
  if (draft.evidence.length > 0) filled.push('evidence');
  return filled;
}
