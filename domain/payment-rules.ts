/**
 * The payment's rules as pure decisions (no Temporal, no I/O, no clock): which status a wallet's word leads to, what
 * a merchant's cancel does, what a late charge costs. The payment workflow (workflows/payment.ts) asks these and
 * carries out what they decide; test/unit/payment-rules.test.ts checks them state by state and over random sequences.
 */
import { PaymentStatus, isFinal, statusName } from './payment-status.js';

/** What the rules need to know of a payment: where it stands and what money moved. */
export interface PaymentBook {
  readonly status: PaymentStatus;
  /** What the merchant registered (integer rupiah). */
  readonly amt: number;
  /** Refunded so far. */
  readonly cancelAmt: number;
}

/** A wallet's word on a payment, from its callback or its status check, already verified. */
export interface WalletWord {
  readonly state: 'PAID' | 'FAILED' | 'VOIDED' | 'PENDING';
  readonly amount: number;
  readonly reason?: string;
}

/**
 * Whether a payment may move from `from` to `to`: a final status is final, but for a refund after paid. `same`: no
 * change at all (not a refusal).
 */
export function statusMove(from: PaymentStatus, to: PaymentStatus): 'move' | 'same' | 'final' {
  if (from === to) return 'same';
  if (isFinal(from) && !(from === PaymentStatus.Paid && to === PaymentStatus.Refund)) return 'final';
  return 'move';
}

/** What a wallet's word decides while the payment is in flight. */
export type Verdict =
  | { readonly kind: 'move'; readonly to: PaymentStatus; readonly reason: string; readonly failureReason?: string }
  /** A "paid" for another amount is not evidence of payment: the status check decides. */
  | { readonly kind: 'distrust'; readonly note: string }
  | { readonly kind: 'none' };

export function walletVerdict(amt: number, word: WalletWord, source: string): Verdict {
  switch (word.state) {
    case 'PAID':
      return word.amount === amt ? { kind: 'move', to: PaymentStatus.Paid, reason: `paid (${source})` } : { kind: 'distrust', note: `${source} reported amount ${word.amount}, expected ${amt}` };
    case 'FAILED': {
      const failureReason = word.reason ?? 'declined';
      return { kind: 'move', to: PaymentStatus.Failed, reason: `${failureReason} (${source})`, failureReason };
    }
    case 'VOIDED':
      return { kind: 'move', to: PaymentStatus.Expired, reason: `voided at the wallet (${source})` };
    case 'PENDING':
      return { kind: 'none' };
  }
}

/** Where a verified wallet callback goes, by the payment's status. */
export type CallbackRoute =
  /** Another amount than registered: recorded, never obeyed. */
  | { readonly kind: 'mismatch'; readonly note: string }
  /** After a final status: to the late-callback reconciliation. */
  | { readonly kind: 'late' }
  /** While unpaid (a create that timed out and was created late): a PAID is the customer's money and is taken. */
  | { readonly kind: 'accept-while-unpaid'; readonly note: string }
  | { readonly kind: 'record'; readonly note: string }
  /** While the wallet has the payment: the first final word decides. */
  | { readonly kind: 'decisive' }
  | { readonly kind: 'ignore' };

export function routeCallback(book: PaymentBook, word: WalletWord): CallbackRoute {
  if (word.amount !== book.amt) return { kind: 'mismatch', note: `ignored a ${word.state} callback for amount ${word.amount}, expected ${book.amt}` };
  if (isFinal(book.status)) return { kind: 'late' };
  if (book.status === PaymentStatus.Unpaid) {
    return word.state === 'PAID'
      ? { kind: 'accept-while-unpaid', note: 'the wallet reported PAID while the payment was unpaid (created at the wallet after our create call failed): accepted' }
      : { kind: 'record', note: `recorded a ${word.state} callback while unpaid` };
  }
  return word.state === 'PENDING' ? { kind: 'ignore' } : { kind: 'decisive' };
}

/**
 * A wallet's word after the final status: a charge the gateway did not report as paid is refunded, once, in full (it
 * is a charge of its own: a wrong-amount charge refunded before is another one).
 */
export type LatePlan =
  | { readonly kind: 'ignore'; readonly note: string }
  /** The same payment again (paid or refunded already): nothing to do. */
  | { readonly kind: 'same' }
  | { readonly kind: 'refund'; readonly amount: number };

export function latePlan(book: PaymentBook, word: WalletWord): LatePlan {
  if (word.state !== 'PAID') return { kind: 'ignore', note: `ignored a ${word.state} callback after ${statusName[book.status]}` };
  if (book.status === PaymentStatus.Paid || book.status === PaymentStatus.Refund || book.cancelAmt >= book.amt) return { kind: 'same' };
  return { kind: 'refund', amount: book.amt };
}

/** A merchant's cancel (CONTRACT §3): `full` voids before payment and refunds what is left after; `partial` refunds `amount`. */
export type CancelKind = { readonly cancelType: 'full' } | { readonly cancelType: 'partial'; readonly amount: number };

/** What a cancel does next. The workflow carries it out and asks again with the new status (after a void). */
export type CancelPlan =
  /** Nothing is left to do: the answer is success with the current state. */
  | { readonly kind: 'done' }
  /** Unpaid: nothing at the wallet; the payment becomes void. */
  | { readonly kind: 'void-here' }
  /** The wallet has the payment: void it there first (it may answer that the customer already paid). */
  | { readonly kind: 'void-at-wallet' }
  | { readonly kind: 'refund'; readonly amount: number }
  | { readonly kind: 'refuse'; readonly why: string };

export function cancelPlan(book: PaymentBook, cancel: CancelKind): CancelPlan {
  if (cancel.cancelType === 'full') {
    if (book.status === PaymentStatus.Void || book.status === PaymentStatus.Refund) return { kind: 'done' }; // once only
    if (book.status === PaymentStatus.Unpaid) return { kind: 'void-here' };
    if (book.status === PaymentStatus.Processing || book.status === PaymentStatus.Initiated) return { kind: 'void-at-wallet' };
  }
  if (book.status !== PaymentStatus.Paid) return { kind: 'refuse', why: `transaction is ${statusName[book.status].toLowerCase()}` };
  const left = book.amt - book.cancelAmt;
  const amount = cancel.cancelType === 'full' ? left : cancel.amount;
  if (!(amount > 0)) return { kind: 'refuse', why: `cancel amount ${amount}: nothing to refund` };
  if (amount > left) return { kind: 'refuse', why: `cancel amount ${amount} is more than is left to refund (${left})` };
  return { kind: 'refund', amount };
}

/** A refund the wallet confirmed: the new total, and whether the payment is now refunded in full (status 2). */
export function afterRefund(book: PaymentBook, amount: number): { readonly cancelAmt: number; readonly refundedInFull: boolean } {
  const cancelAmt = book.cancelAmt + amount;
  return { cancelAmt, refundedInFull: cancelAmt >= book.amt };
}
