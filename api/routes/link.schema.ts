import { z } from 'zod';
import { amt, email, httpUrl, merchantTokenField, optionalText, phone, requiredText, timeStamp } from '../fields.js';

/** POST /nicepay/api/linkEnable.do (CONTRACT §4). Field order is the order of checks after the contract's codes. */
export const LinkEnableRequest = z.object({
  referenceNo: requiredText(40),
  billingNm: requiredText(50),
  billingPhone: phone,
  billingEmail: email,
  timeStamp,
  iMid: requiredText(12),
  payMethod: requiredText(2),
  mitraCd: requiredText(4),
  dbProcessUrl: httpUrl,
  callBackUrl: httpUrl.optional(),
  userIP: optionalText(40),
  merchantToken: merchantTokenField,
});

export const LinkEnableReply = z.object({
  resultCd: z.string(),
  resultMsg: z.string(),
  referenceNo: z.string(),
  mandateID: z.string(),
  linkStatus: z.string(),
  redirectUrl: z.string().optional(),
});
export type LinkEnableReply = z.infer<typeof LinkEnableReply>;

/** POST /nicepay/api/linkInquiry.do and linkDisable.do (the gateway's own, CONTRACT §4). */
export const LinkStatusRequest = z.object({
  timeStamp,
  iMid: requiredText(12),
  mandateID: requiredText(40),
  merchantToken: merchantTokenField,
});

export const LinkStatusReply = z.object({
  resultCd: z.string(),
  resultMsg: z.string(),
  mandateID: z.string(),
  linkStatus: z.string(),
  /** Masked: `0812****1000`. */
  billingPhone: z.string(),
});
export type LinkStatusReply = z.infer<typeof LinkStatusReply>;

/** POST /nicepay/api/linkInitiate.do (CONTRACT §4): a payment on a linked AstraPay account. */
export const LinkInitiateRequest = z.object({
  amt,
  currency: requiredText(3).pipe(z.literal('IDR', { error: 'only IDR is supported' })),
  referenceNo: requiredText(40),
  goodsNm: requiredText(100),
  billingNm: requiredText(50),
  billingPhone: phone,
  billingEmail: email,
  timeStamp,
  iMid: requiredText(12),
  mandateID: requiredText(40),
  payMethod: requiredText(2),
  dbProcessUrl: httpUrl,
  callBackUrl: httpUrl.optional(),
  userIP: optionalText(40),
  description: optionalText(255),
  merchantToken: merchantTokenField,
});

export const LinkInitiateReply = z.object({
  resultCd: z.string(),
  resultMsg: z.string(),
  tXid: z.string(),
  referenceNo: z.string(),
  redirectUrl: z.string().optional(),
});
export type LinkInitiateReply = z.infer<typeof LinkInitiateReply>;
