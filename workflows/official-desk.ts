import { condition, defineSignal, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { InboundWhatsApp } from './inbound';

/**
 * The WhatsApp desk of one registered official (workflow ID: a keyed hash of the number). Each
 * message is a command (TERIMA, PROGRES, SELESAI, ALIHKAN, TOLAK, DAFTAR, INFO); an activity
 * carries it to the complaint workflow as an update and the answer, or the refusal, goes back on
 * WhatsApp. The desk closes after an idle hour; the next message opens a new one.
 */

export const officialMessageSignal = defineSignal<[InboundWhatsApp]>('officialMessage');

const IDLE_MS = 60 * 60 * 1000;
const REMEMBERED_MESSAGE_SIDS = 200;

const { handleOfficialMessage, sendWhatsApp } = proxyActivities<Pick<Activities, 'handleOfficialMessage' | 'sendWhatsApp'>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', nonRetryableErrorTypes: ['PermanentSendError'] },
});

export async function officialDeskWorkflow(): Promise<{ handled: number }> {
  const pending: InboundWhatsApp[] = [];
  const seen: string[] = [];
  setHandler(officialMessageSignal, (message) => {
    if (seen.includes(message.messageSid)) return;
    seen.push(message.messageSid);
    if (seen.length > REMEMBERED_MESSAGE_SIDS) seen.shift();
    pending.push(message);
  });

  let handled = 0;
  while (await condition(() => pending.length > 0, IDLE_MS)) {
    const message = pending.shift()!;
    const reply = await handleOfficialMessage({ from: message.from, body: message.body, inboundMessageId: message.messageId });
    await sendWhatsApp({ idempotencyKey: uuid4(), to: message.from, text: reply });
    handled += 1;
  }
  return { handled };
}
