import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connect';
import * as complaintsRepo from '../../db/repositories/complaints';
import type { Complaint, NewComplaint } from '../../db/schema';
import { complaintViewQuery } from '../../workflows/complaint';
import type { TestStack } from './runtime';
import { postSigned, SAMPLE_JPEG, SAMPLE_REPORT, waitFor, whatsappForm } from './whatsapp';

/**
 * A citizen's report with a photo over the signed webhook, as on WhatsApp, until its complaint
 * workflow has routed it. Returns the ticket code.
 */
export async function submitRoutedComplaint(stack: TestStack, citizen: string): Promise<string> {
  const photo = stack.twilio.addMedia(`ME${randomUUID().replace(/-/g, '')}`, SAMPLE_JPEG, 'image/jpeg');
  await postSigned(stack.target, whatsappForm(citizen, SAMPLE_REPORT, { media: [{ url: photo, contentType: 'image/jpeg' }] }));
  const receipt = await waitFor(() => stack.twilio.sent.find((m) => m.To === citizen && /LK-\d{4}-\d{6}/.test(m.Body ?? '')), 30_000, 'receipt');
  const ticketCode = receipt.Body!.match(/LK-\d{4}-\d{6}/)![0];
  const handle = stack.runtime.client!.workflow.getHandle(ticketCode);
  await waitFor(async () => (await handle.query(complaintViewQuery).catch(() => undefined))?.status === 'routed', 30_000, 'routing');
  return ticketCode;
}

/**
 * A copy of a stored complaint under another ticket code and no workflow, so that a test alone
 * drives it. Generated and defaulted columns (id, search, timestamps) are left to PostgreSQL.
 */
export async function copyComplaint(db: Db, ticketCode: string, changes: Partial<NewComplaint> & { ticket_code: string }): Promise<Complaint> {
  const { id: _id, search: _search, created_at: _created, updated_at: _updated, ...original } = (await complaintsRepo.findByTicketCode(db, ticketCode))!;
  return complaintsRepo.insertComplaint(db, { ...original, submission_key: randomUUID(), ...changes });
}
