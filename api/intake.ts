import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { normalisePhone, type PiiCrypto } from '../app/pii-crypto';
import type { Db } from '../db/connect';
import * as messagesRepo from '../db/repositories/messages';
import type { Message } from '../db/schema';
import { conversationWorkflow, inboundMessageSignal } from '../workflows/conversation';
import type { InboundMedia } from '../workflows/inbound';

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

/**
 * Stores each inbound message once (by MessageSid), then hands it to the sender's conversation
 * workflow. The row is written first, so a message is never lost: one that could not be handed
 * over (Temporal unreachable, a crash) is handed over later by redispatchPending().
 */
export function createIntake(deps: IntakeDeps) {
  const { db, crypto, temporal, taskQueue, logger } = deps;

  async function dispatch(messageId: number, messageSid: string, from: string, content: StoredContent): Promise<void> {
    await temporal.workflow.signalWithStart(conversationWorkflow, {
      workflowId: crypto.conversationWorkflowId(from),
      taskQueue,
      args: [{}],
      signal: inboundMessageSignal,
      signalArgs: [{ messageId, messageSid, from, ...content }],
    });
    await messagesRepo.markDispatched(db, messageId);
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
      try {
        await dispatch(message.id, messageSid, from, content);
      } catch (err) {
        logger.error({ messageId: message.id, err: errorSummary(err) }, 'Inbound message stored but not yet dispatched; will retry');
      }
    },

    /** Hands over messages that were stored but never reached their conversation. */
    async redispatchPending(olderThanSeconds = 10, limit = 100): Promise<number> {
      const pending = await messagesRepo.findUndispatched(db, olderThanSeconds, limit);
      let dispatched = 0;
      for (const message of pending) {
        try {
          await dispatch(message.id, message.twilio_sid!, `whatsapp:${crypto.decrypt(message.phone_enc)}`, decodeContent(crypto, message));
          dispatched += 1;
        } catch (err) {
          logger.error({ messageId: message.id, err: errorSummary(err) }, 'Redispatch failed; will retry');
        }
      }
      return dispatched;
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
