export { accountLinkWorkflow } from './account-link.js';
export { paymentWorkflow } from './payment.js';
export { reconciliationWorkflow } from './reconciliation.js';
export { refundWorkflow } from './refund.js';
