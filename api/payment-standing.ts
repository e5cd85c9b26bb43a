import type { WorkflowExecutionDescription } from '@temporalio/client';
import { z } from 'zod';
import { nicepayDate, nicepayTime } from '../domain/nicepay-time.js';
import type { PaymentView, Registration } from '../workflows/messages.js';
import { PaymentSearch } from '../workflows/search-attributes.js';

/** What an inquiry answers (CONTRACT §3): the registration's fields, its time, the status, its time, the refunds. */
export interface PaymentStanding {
  readonly tXid: string;
  readonly registration: Pick<Registration, 'iMid' | 'referenceNo' | 'payMethod' | 'mitraCd' | 'amt' | 'currency' | 'goodsNm' | 'billingNm'>;
  readonly reqDt: string;
  readonly reqTm: string;
  readonly status: number;
  readonly transDt: string;
  readonly transTm: string;
  readonly cancelAmt: number;
}

/** The memo a payment starts with (encrypted by the codec): fixed for good at registration. */
const RegistrationMemo = z.object({
  tXid: z.string(),
  iMid: z.string(),
  referenceNo: z.string(),
  payMethod: z.string(),
  mitraCd: z.string(),
  amt: z.number(),
  currency: z.string(),
  goodsNm: z.string(),
  billingNm: z.string(),
  fingerprint: z.string(),
  registeredAt: z.iso.datetime(),
});
export type RegistrationMemo = z.infer<typeof RegistrationMemo>;

/** The memo, as one field: one payload for the codec to encrypt and to decrypt on every describe, not eleven. */
export function registrationMemo(tXid: string, reg: Registration, fingerprint: string, registeredAt: Date): { registration: RegistrationMemo } {
  const { iMid, referenceNo, payMethod, mitraCd, amt, currency, goodsNm, billingNm } = reg;
  return { registration: { tXid, iMid, referenceNo, payMethod, mitraCd, amt, currency, goodsNm, billingNm, fingerprint, registeredAt: registeredAt.toISOString() } };
}

/** The registration a payment's memo holds; `undefined` for a memo without one (a workflow this API did not start). */
export function readRegistrationMemo(memo: Record<string, unknown> | undefined): RegistrationMemo | undefined {
  const parsed = RegistrationMemo.safeParse(memo?.registration);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A transaction as the Temporal server alone describes it: the payment's memo for what was registered, and the
 * search attributes of the workflow that holds its books now (the payment, or after its close its refund workflow),
 * upserted in the same task as every status change or refund: describe reads the workflow's own state, so it is
 * never behind a change the API acknowledged. `undefined` when the descriptions lack them.
 */
export function standingFromDescription(payment: WorkflowExecutionDescription, books: WorkflowExecutionDescription = payment): PaymentStanding | undefined {
  const memo = readRegistrationMemo(payment.memo);
  const attributes = books.typedSearchAttributes;
  const status = attributes.get(PaymentSearch.paymentStatus);
  const cancelAmt = attributes.get(PaymentSearch.cancelAmt);
  const statusAt = attributes.get(PaymentSearch.statusAt);
  if (!memo || status === undefined || cancelAmt === undefined || statusAt === undefined) return undefined;
  const { tXid, registeredAt, fingerprint: _fingerprint, ...registration } = memo;
  const at = new Date(registeredAt);
  return { tXid, registration, reqDt: nicepayDate(at), reqTm: nicepayTime(at), status, transDt: nicepayDate(statusAt), transTm: nicepayTime(statusAt), cancelAmt };
}

/** The same, from a view (a closed payment's result, a query). */
export function standingOfView(view: PaymentView): PaymentStanding {
  const { tXid, registration, reqDt, reqTm, status, transDt, transTm, cancelAmt } = view;
  return { tXid, registration, reqDt, reqTm, status, transDt, transTm, cancelAmt };
}
