import { z } from 'zod';
import { httpUrl, merchantTokenField, optionalText, timeStamp, txId } from '../fields.js';

/** GET or POST /nicepay/direct/v2/payment (CONTRACT §3). */
export const PaymentRequest = z.object({
  timeStamp,
  tXid: txId,
  callBackUrl: httpUrl.optional(),
  merchantToken: merchantTokenField,
  returnJsonFormat: optionalText(1),
});
export type PaymentRequest = z.infer<typeof PaymentRequest>;

export const PaymentReply = z.object({
  resultCd: z.string(),
  resultMsg: z.string(),
  tXid: z.string(),
  referenceNo: z.string(),
  status: z.string(),
  redirectUrl: z.string().optional(),
});
export type PaymentReply = z.infer<typeof PaymentReply>;
