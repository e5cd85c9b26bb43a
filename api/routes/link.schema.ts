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

export interface LinkEnableReply {
  resultCd: string;
  resultMsg: string;
  referenceNo: string;
  mandateID: string;
  linkStatus: string;
  redirectUrl?: string;
}

/** POST /nicepay/api/linkInquiry.do and linkDisable.do (the gateway's own, CONTRACT §4). */
export const LinkStatusRequest = z.object({
  timeStamp,
  iMid: requiredText(12),
  mandateID: requiredText(40),
  merchantToken: merchantTokenField,
});

export interface LinkStatusReply {
  resultCd: string;
  resultMsg: string;
  mandateID: string;
  linkStatus: string;
  /** Masked: `0812****1000`. */
  billingPhone: string;
}

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

export interface LinkInitiateReply {
  resultCd: string;
  resultMsg: string;
  tXid: string;
  referenceNo: string;
  redirectUrl?: string;
}
