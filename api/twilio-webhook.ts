import express, { Router } from 'express';
import { z } from 'zod';
import type { Intake, InboundDelivery } from './intake';
import { verifyTwilioSignature } from './twilio-signature';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const MAX_MEDIA = 10;

const optionalNumber = z.preprocess((v) => (v === '' || v === undefined ? undefined : v), z.coerce.number().finite().optional());

/** Twilio's form parameters for an incoming WhatsApp message. */
const inboundFormSchema = z
  .object({
    MessageSid: z.string().regex(/^(SM|MM)[0-9a-zA-Z]{32}$/),
    From: z.string().regex(/^whatsapp:\+[1-9]\d{6,14}$/),
    Body: z.string().max(10_000).default(''),
    NumMedia: z.coerce.number().int().min(0).max(MAX_MEDIA).default(0),
    Latitude: optionalNumber,
    Longitude: optionalNumber,
    Address: z.string().max(500).optional(),
    Label: z.string().max(500).optional(),
  })
  .passthrough();

export function toDelivery(form: Record<string, unknown>): InboundDelivery | undefined {
  const parsed = inboundFormSchema.safeParse(form);
  if (!parsed.success) return undefined;
  const f = parsed.data;
  const media = [];
  for (let i = 0; i < f.NumMedia; i++) {
    const url = form[`MediaUrl${i}`];
    const contentType = form[`MediaContentType${i}`];
    if (typeof url === 'string' && /^https?:\/\//.test(url)) {
      media.push({ url, contentType: typeof contentType === 'string' ? contentType : 'application/octet-stream' });
    }
  }
  return {
    messageSid: f.MessageSid,
    from: f.From,
    body: f.Body,
    media,
    latitude: f.Latitude,
    longitude: f.Longitude,
    locationLabel: f.Label ?? f.Address,
  };
}

export interface TwilioWebhookDeps {
  intake: Intake;
  /** The token Twilio signs with (the account's auth token, or the local sandbox token). */
  authToken: string;
  publicBaseUrl: string;
}

export function twilioWebhookRouter(deps: TwilioWebhookDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

  router.post('/webhooks/twilio/whatsapp', form, verifyTwilioSignature(deps), async (req, res) => {
    const delivery = toDelivery((req.body ?? {}) as Record<string, string>);
    if (!delivery) {
      res.status(400).type('text/plain').send('Not a WhatsApp message webhook');
      return;
    }
    await deps.intake.receive(delivery);
    res.status(200).type('text/xml').send(EMPTY_TWIML);
  });
  return router;
}
