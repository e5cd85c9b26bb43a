import { z } from 'zod';
import { amt, merchantTokenField, requiredText, timeStamp, txId } from '../fields.js';

/** POST /nicepay/direct/v2/inquiry (CONTRACT §3). */
export const InquiryRequest = z.object({
  amt,
  referenceNo: requiredText(40),
  timeStamp,
  iMid: requiredText(12),
  tXid: txId,
  merchantToken: merchantTokenField,
});
export type InquiryRequest = z.infer<typeof InquiryRequest>;

export interface InquiryReply {
  resultCd: string;
  resultMsg: string;
  tXid: string;
  iMid: string;
  referenceNo: string;
  payMethod: string;
  mitraCd: string;
  amt: string;
  currency: string;
  goodsNm: string;
  billingNm: string;
  reqDt: string;
  reqTm: string;
  status: string;
  transDt: string;
  transTm: string;
  cancelAmt: string;
}
