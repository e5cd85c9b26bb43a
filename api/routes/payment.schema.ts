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

export interface PaymentReply {
  resultCd: string;
  resultMsg: string;
  tXid: string;
  referenceNo: string;
  status: string;
  redirectUrl?: string;
}
