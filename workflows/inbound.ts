// What the webhook hands a conversation: one WhatsApp message as Twilio delivered it.
// Carried in a signal; Temporal payloads are encrypted (app/payload-codec.ts).

export interface InboundMedia {
  url: string;
  contentType: string;
}

export interface InboundWhatsApp {
  /** Our messages.id of the stored inbound message. */
  messageId: number;
  messageSid: string;
  /** 'whatsapp:+62…' */
  from: string;
  body: string;
  media: InboundMedia[];
  latitude?: number;
  longitude?: number;
  locationLabel?: string;
}
