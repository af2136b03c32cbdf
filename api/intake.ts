import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { normalisePhone, type PiiCrypto } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as messagesRepo from '../db/repositories/messages';
import * as opdRepo from '../db/repositories/opd';
import type { Message } from '../db/schema';
import { conversationWorkflow, inboundMessageSignal } from '../workflows/conversation';
import type { InboundMedia } from '../workflows/inbound';
import { officialDeskWorkflow, officialMessageSignal } from '../workflows/official-desk';
import { KeyedSerialQueue } from './keyed-queue';

/** One WhatsApp message as Twilio's webhook delivered it, already validated. */
export interface InboundDelivery {
  messageSid: string;
  from: string;
  body: string;
  media: InboundMedia[];
  latitude?: number;
  longitude?: number;
  locationLabel?: string;
}

type StoredContent = Omit<InboundDelivery, 'messageSid' | 'from'>;

export interface IntakeDeps {
  db: Db;
  crypto: PiiCrypto;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
}

/** How many signals to Temporal may be under way at once. */
const DISPATCH_CONCURRENCY = 32;

/**
 * Stores each inbound message once (by MessageSid), so that Twilio can be answered at once, then
 * hands it to the sender's conversation workflow in the background, in order per sender. The row
 * is durable before Twilio hears back, so a message is never lost: one that could not be handed
 * over (Temporal unreachable, a crash) is handed over later by redispatchPending().
 */
export function createIntake(deps: IntakeDeps) {
  const { db, crypto, temporal, taskQueue, logger } = deps;
  const queue = new KeyedSerialQueue(DISPATCH_CONCURRENCY);

  /** Registered officials' messages go to their command desk, everyone else's to a conversation. */
  async function dispatch(messageId: number, messageSid: string, from: string, content: StoredContent): Promise<void> {
    const message = { messageId, messageSid, from, ...content };
    if (await opdRepo.findActiveOfficialByPhoneHash(db, crypto.lookupHash('phone', normalisePhone(from)))) {
      await temporal.workflow.signalWithStart(officialDeskWorkflow, {
        workflowId: crypto.officialDeskWorkflowId(from),
        taskQueue,
        args: [],
        signal: officialMessageSignal,
        signalArgs: [message],
      });
    } else {
      await temporal.workflow.signalWithStart(conversationWorkflow, {
        workflowId: crypto.conversationWorkflowId(from),
        taskQueue,
        args: [{}],
        signal: inboundMessageSignal,
        signalArgs: [message],
      });
    }
    await messagesRepo.markDispatched(db, messageId);
  }

  function dispatchInBackground(messageId: number, messageSid: string, from: string, content: StoredContent): Promise<void> {
    return queue
      .run(crypto.conversationWorkflowId(from), () => dispatch(messageId, messageSid, from, content))
      .catch((err) => logger.error({ messageId, err: errorSummary(err) }, 'Inbound message stored but not yet dispatched; will retry'));
  }

  return {
    async receive(delivery: InboundDelivery): Promise<void> {
      const phone = normalisePhone(delivery.from);
      const { messageSid, from, ...content } = delivery;
      const { message, isNew } = await messagesRepo.insertInboundOnce(db, {
        twilioSid: messageSid,
        phoneHash: crypto.lookupHash('phone', phone),
        phoneEnc: crypto.encrypt(phone),
        contentEnc: crypto.encrypt(JSON.stringify(content)),
        numMedia: content.media.length,
      });
      if (!isNew && message.status === 'dispatched') return;
      // After the answer to Twilio has gone out: encoding and sending the signal takes CPU.
      setImmediate(() => void dispatchInBackground(message.id, messageSid, from, content));
    },

    /**
     * Hands over messages that were stored but never reached their conversation. A message handed
     * over twice is harmless: the conversation ignores a MessageSid it has seen.
     */
    async redispatchPending(olderThanSeconds = 30, limit = 100): Promise<number> {
      const pending = await messagesRepo.findUndispatched(db, olderThanSeconds, limit);
      await Promise.all(
        pending.map((message) =>
          dispatchInBackground(message.id, message.twilio_sid!, `whatsapp:${crypto.decrypt(message.phone_enc)}`, decodeContent(crypto, message)),
        ),
      );
      return pending.length;
    },

    /** Settles when every message received so far has been handed over (or has failed to be). */
    drain(): Promise<void> {
      return queue.drain();
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;

function decodeContent(crypto: PiiCrypto, message: Message): StoredContent {
  return message.content_enc ? (JSON.parse(crypto.decrypt(message.content_enc)) as StoredContent) : { body: '', media: [] };
}

/** Error texts from Temporal or pg can quote their input; log only the kind and a code. */
function errorSummary(err: unknown): { name: string; code?: unknown } {
  return err instanceof Error ? { name: err.name, code: (err as { code?: unknown }).code } : { name: typeof err };
}
