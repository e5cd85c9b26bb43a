import { ResultCode } from '../domain/result-codes.js';
import type { CancelOutcome, SubmissionOutcome } from '../workflows/messages.js';

/** A NICEPAY answer: the code clients branch on and the message they show. */
export interface NicepayAnswer {
  readonly resultCd: ResultCode;
  readonly resultMsg: string;
}

/** The workflows answer in the gateway's words; only here do they become NICEPAY's codes and messages (CONTRACT §2). */
export function submissionAnswer(o: SubmissionOutcome): NicepayAnswer {
  switch (o.outcome) {
    case 'accepted':
      return { resultCd: ResultCode.Success, resultMsg: 'SUCCESS' };
    case 'refused':
      // NICEPAY answers a payment the wallet refused with 0000 and the failed status; the message says why.
      return { resultCd: ResultCode.Success, resultMsg: `Payment failed: ${o.reason ?? 'refused by the wallet'}` };
    case 'nothing-charged':
      return { resultCd: ResultCode.WalletUnreachable, resultMsg: 'Wallet provider unreachable, nothing was charged, safe to retry' };
    case 'unknown':
      return { resultCd: ResultCode.WalletTimeout, resultMsg: 'Wallet provider timed out, outcome not known yet, inquire later' };
  }
}

export function cancelAnswer(o: CancelOutcome): NicepayAnswer {
  switch (o.outcome) {
    case 'done':
      return { resultCd: ResultCode.Success, resultMsg: 'SUCCESS' };
    case 'refused':
      return { resultCd: ResultCode.InvalidStatus, resultMsg: `Not allowed in the current status: ${o.reason ?? 'refused'}` };
    case 'not-refunded':
      return { resultCd: ResultCode.WalletUnreachable, resultMsg: 'The wallet could not be reached for a day; nothing was refunded, retry the cancel' };
    case 'in-progress':
      return { resultCd: ResultCode.WalletTimeout, resultMsg: 'The wallet has not answered yet; the cancel goes on, inquire later' };
    case 'void-unanswered':
      return { resultCd: ResultCode.WalletTimeout, resultMsg: 'The wallet did not answer the void; the payment may still complete, inquire later' };
  }
}
