import { z } from 'zod';
import { amt, merchantTokenField, optionalText, requiredText, timeStamp, txId } from '../fields.js';

/** POST /nicepay/direct/v2/cancel (CONTRACT §3). NICEPAY's clients also send referenceNo and cancelUserId. */
export const CancelRequestFields = z.object({
  amt,
  timeStamp,
  iMid: requiredText(12),
  tXid: txId,
  payMethod: requiredText(2),
  cancelType: requiredText(1).pipe(z.enum(['1', '2'], { error: 'must be 1 (full) or 2 (partial)' })),
  cancelMsg: optionalText(255),
  referenceNo: optionalText(40),
  cancelUserId: optionalText(40),
  merchantToken: merchantTokenField,
});

export const CancelReply = z.object({
  resultCd: z.string(),
  resultMsg: z.string(),
  tXid: z.string(),
  referenceNo: z.string(),
  cancelAmt: z.string(),
  status: z.string(),
});
export type CancelReply = z.infer<typeof CancelReply>;
