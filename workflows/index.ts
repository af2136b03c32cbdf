// The worker bundles this file: every workflow the task queue runs is exported here.
export { conversationWorkflow } from './conversation';
export { complaintWorkflow } from './complaint';
export { officialDeskWorkflow } from './official-desk';
