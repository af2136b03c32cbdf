import express, { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../db/connect';
import * as complaintsRepo from '../db/repositories/complaints';
import * as messagesRepo from '../db/repositories/messages';
import { verifyTwilioSignature } from './twilio-signature';

/** Where Twilio reports what became of each outgoing message (the statusCallback of a send). */
export const STATUS_CALLBACK_PATH = '/webhooks/twilio/status';

/**
 * Twilio's statuses in the order a message passes through them. Callbacks can arrive out of order
 * (a late 'sent' after 'delivered'), so a status only replaces one before it. 'sending' is also
 * our own status of a row recorded but not yet answered by Twilio.
 */
const PROGRESS = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'read'] as const;
/** The message will never arrive: these win over anything. */
const FAILURES = ['failed', 'undelivered'] as const;

const statusFormSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-zA-Z]{32}$/),
  MessageStatus: z.string().min(1).max(40),
  ErrorCode: z.string().regex(/^\d{1,6}$/).optional().catch(undefined),
});

export interface StatusWebhookDeps {
  db: Db;
  logger: Logger;
  authToken: string;
  publicBaseUrl: string;
}

export function statusWebhookRouter(deps: StatusWebhookDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 100 });

  router.post(STATUS_CALLBACK_PATH, form, verifyTwilioSignature(deps), async (req, res) => {
    const parsed = statusFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).type('text/plain').send('Not a message status callback');
      return;
    }
    const { MessageSid: sid, MessageStatus: status, ErrorCode: errorCode } = parsed.data;
    const failed = (FAILURES as readonly string[]).includes(status);
    const rank = (PROGRESS as readonly string[]).indexOf(status);
    // Anything else (e.g. 'canceled', or statuses of inbound messages) changes nothing here.
    if (failed || rank >= 0) {
      await deps.db.transaction().execute(async (trx) => {
        const message = await messagesRepo.updateDeliveryStatus(trx, {
          twilioSid: sid,
          status,
          errorCode,
          replaces: failed ? 'any' : PROGRESS.slice(0, rank),
        });
        // An unknown SID (not ours, or its send not recorded yet) finds no row and changes nothing.
        if (failed && message?.complaint_id) {
          await complaintsRepo.appendEvent(trx, {
            complaintId: message.complaint_id,
            type: 'message_failed',
            actor: 'system',
            data: { messageId: message.id, errorCode: errorCode ?? null },
            idempotencyKey: `${sid}:failed`,
          });
        }
        if (failed && message) deps.logger.warn({ messageId: message.id, status, errorCode }, 'WhatsApp message not delivered');
      });
    }
    res.status(204).end();
  });
  return router;
}
