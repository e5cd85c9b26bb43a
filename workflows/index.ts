export { accountLinkWorkflow } from './account-link.js';
export { paymentWorkflow } from './payment.js';
