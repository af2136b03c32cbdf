// The load generator of bench:intake, in a process of its own so that its CPU and event loop are
// not the service's. Prints autocannon's result as JSON on stdout.
// Usage: tsx scripts/bench/webhook-load.ts <url> <publicUrl> <authToken> <rate> <seconds>

import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import twilio from 'twilio';

const [url, publicUrl, authToken, rate, seconds] = process.argv.slice(2);
let citizen = 0;

const result = await autocannon({
  url,
  method: 'POST',
  connections: 50,
  overallRate: Number(rate),
  duration: Number(seconds),
  requests: [
    {
      setupRequest: (request: Record<string, unknown>) => {
        citizen = (citizen + 1) % 1000;
        const form = {
          MessageSid: `SM${randomBytes(16).toString('hex')}`,
          From: `whatsapp:+62812${String(citizen).padStart(7, '0')}`,
          To: 'whatsapp:+6282131001001',
          Body: citizen % 2 ? 'Halo' : 'Nama: Warga Bench',
          NumMedia: '0',
        };
        return {
          ...request,
          body: new URLSearchParams(form).toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, publicUrl, form),
          },
        };
      },
    },
  ],
});
console.log(JSON.stringify({ total: result.requests.total, duration: result.duration, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors }));
