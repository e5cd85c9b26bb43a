import { z } from 'zod';
import { amt, email, httpUrl, merchantTokenField, optionalText, phone, requiredText, timeStamp } from '../fields.js';

/** POST /nicepay/direct/v2/registration (CONTRACT §3). Field order is the order of checks after the contract's codes. */
export const RegistrationRequest = z.object({
  amt,
  currency: requiredText(3).pipe(z.literal('IDR', { error: 'only IDR is supported' })),
  referenceNo: requiredText(40),
  goodsNm: requiredText(100),
  billingNm: requiredText(50),
  billingPhone: phone,
  billingEmail: email,
  timeStamp,
  iMid: requiredText(12),
  payMethod: requiredText(2),
  mitraCd: requiredText(4),
  dbProcessUrl: httpUrl,
  callBackUrl: httpUrl.optional(),
  description: optionalText(255),
  merchantToken: merchantTokenField,
});
export type RegistrationRequest = z.infer<typeof RegistrationRequest>;

/** NICEPAY's other registration fields: accepted, kept with the transaction, and part of its content. */
export const keptFields = [
  'cartData', 'billingAddr', 'billingCity', 'billingState', 'billingPostCd', 'billingCountry',
  'deliveryNm', 'deliveryPhone', 'deliveryAddr', 'deliveryCity', 'deliveryState', 'deliveryPostCd', 'deliveryCountry',
  'userIP', 'userSessionID', 'userAgent', 'userLanguage', 'reqDomain', 'reqServerIP', 'reqClientVer', 'shopId',
  'vat', 'fee', 'notaxAmt', 'reqDt', 'reqTm', 'payValidDt', 'payValidTm', 'sellers',
] as const;

export const KeptField = optionalText(4000);

export const RegistrationReply = z.object({
  resultCd: z.string(),
  resultMsg: z.string(),
  tXid: z.string(),
  referenceNo: z.string(),
  payMethod: z.string(),
  mitraCd: z.string(),
  amt: z.string(),
  currency: z.string(),
  transDt: z.string(),
  transTm: z.string(),
  description: z.string(),
});
export type RegistrationReply = z.infer<typeof RegistrationReply>;
