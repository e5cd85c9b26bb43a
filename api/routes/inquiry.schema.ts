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

export const InquiryReply = z.object({
  resultCd: z.string(),
  resultMsg: z.string(),
  tXid: z.string(),
  iMid: z.string(),
  referenceNo: z.string(),
  payMethod: z.string(),
  mitraCd: z.string(),
  amt: z.string(),
  currency: z.string(),
  goodsNm: z.string(),
  billingNm: z.string(),
  reqDt: z.string(),
  reqTm: z.string(),
  status: z.string(),
  transDt: z.string(),
  transTm: z.string(),
  cancelAmt: z.string(),
});
export type InquiryReply = z.infer<typeof InquiryReply>;
