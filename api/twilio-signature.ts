import type { RequestHandler } from 'express';
import twilio from 'twilio';

export interface TwilioSignatureOptions {
  /** The token Twilio signs with (the account's auth token, or the local sandbox token). */
  authToken: string;
  /** What Twilio believes it calls: the signature covers this URL, not the one we listen on. */
  publicBaseUrl: string;
}

/**
 * Lets through only requests signed by Twilio (X-Twilio-Signature over the public URL and the
 * form); anything else gets 403. Mount it after the urlencoded form parser.
 */
export function verifyTwilioSignature(opts: TwilioSignatureOptions): RequestHandler {
  return (req, res, next) => {
    const signature = req.header('X-Twilio-Signature');
    const url = opts.publicBaseUrl + req.originalUrl;
    if (!signature || !twilio.validateRequest(opts.authToken, signature, url, (req.body ?? {}) as Record<string, string>)) {
      res.status(403).type('text/plain').send('Invalid Twilio signature');
      return;
    }
    next();
  };
}
