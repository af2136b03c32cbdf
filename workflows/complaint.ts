import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ComplaintStatus } from '../domain/report';
import type { ComplaintActivities } from '../activities';

/**
 * One complaint, from submission until tuntas; its workflow ID is the ticket code.
 * This first version routes the complaint to the OPD responsible for its category and tells
 * that OPD's officials; the staged deadlines and escalation build on it. Changes to this code
 * must go through patched() so that running complaints replay unchanged.
 */

export interface ComplaintWorkflowInput {
  ticketCode: string;
  complaintId: number;
}

export interface ComplaintView {
  ticketCode: string;
  status: ComplaintStatus;
  opdCode?: string;
}

export const complaintViewQuery = defineQuery<ComplaintView>('view');

const { routeComplaint, notifyOfficials } = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintView> {
  const view: ComplaintView = { ticketCode: input.ticketCode, status: 'received' };
  setHandler(complaintViewQuery, () => view);

  const route = await routeComplaint({ complaintId: input.complaintId, ticketCode: input.ticketCode });
  view.status = 'routed';
  view.opdCode = route.opdCode;

  await notifyOfficials({
    complaintId: input.complaintId,
    ticketCode: input.ticketCode,
    opdUnitId: route.opdUnitId,
    level: 1,
    purpose: 'new_complaint',
  });
  return view;
}
