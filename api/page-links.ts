import type { PaymentView } from '../workflows/messages.js';
import { statusName, PaymentStatus } from '../domain/payment-status.js';
import { pageSignature } from '../domain/page-signature.js';

export function waitPagePath(secret: string, tXid: string): string {
  return `/nicepay/direct/v2/payment/wait/${encodeURIComponent(tXid)}?sig=${pageSignature(secret, tXid)}`;
}

/** Where the customer's browser ends: the merchant's callBackUrl with the result (CONTRACT §3). */
export function merchantReturnUrl(view: PaymentView): string | undefined {
  if (!view.callBackUrl) return undefined;
  const url = new URL(view.callBackUrl);
  const reason = view.status === PaymentStatus.Failed && view.failureReason ? `: ${view.failureReason}` : '';
  url.searchParams.set('tXid', view.tXid);
  url.searchParams.set('referenceNo', view.registration.referenceNo);
  url.searchParams.set('resultCd', '0000');
  url.searchParams.set('resultMsg', `${statusName[view.status]}${reason}`);
  url.searchParams.set('amt', String(view.registration.amt));
  url.searchParams.set('status', String(view.status));
  return url.toString();
}

/** Where the customer's browser ends after linking: the merchant's callBackUrl with the link's result (CONTRACT §4). */
export function linkResultUrl(callBackUrl: string, link: { referenceNo: string; mandateID: string; linkStatus: string; reason?: string }): string {
  const url = new URL(callBackUrl);
  url.searchParams.set('referenceNo', link.referenceNo);
  url.searchParams.set('mandateID', link.mandateID);
  url.searchParams.set('linkStatus', link.linkStatus);
  url.searchParams.set('resultCd', '0000');
  url.searchParams.set('resultMsg', link.reason && link.linkStatus !== 'ACTIVE' ? `${link.linkStatus}: ${link.reason}` : link.linkStatus);
  return url.toString();
}
