import { createHash, timingSafeEqual } from 'node:crypto';

/** NICEPAY's merchantToken: lowercase hex SHA-256 of the concatenated parts (CONTRACT §2). */
export function merchantToken(...parts: ReadonlyArray<string | number>): string {
  return createHash('sha256').update(parts.map(String).join(''), 'utf8').digest('hex');
}

/** Constant-time comparison, so a wrong token reveals nothing about the right one through timing. */
export function tokenMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  // Compare against a same-length buffer either way, so the length check leaks no timing of its own.
  const ok = timingSafeEqual(a, b.length === a.length ? b : a);
  return ok && b.length === a.length;
}

/** The token formulas of CONTRACT §3, §4 and §5, in one place so routes, notifications and tests agree. */
export const tokens = {
  registration: (p: { timeStamp: string; iMid: string; referenceNo: string; amt: number | string; merchantKey: string }) =>
    merchantToken(p.timeStamp, p.iMid, p.referenceNo, p.amt, p.merchantKey),
  payment: (p: { timeStamp: string; iMid: string; referenceNo: string; amt: number | string; merchantKey: string }) =>
    merchantToken(p.timeStamp, p.iMid, p.referenceNo, p.amt, p.merchantKey),
  inquiry: (p: { timeStamp: string; iMid: string; referenceNo: string; amt: number | string; merchantKey: string }) =>
    merchantToken(p.timeStamp, p.iMid, p.referenceNo, p.amt, p.merchantKey),
  cancel: (p: { timeStamp: string; iMid: string; tXid: string; amt: number | string; merchantKey: string }) =>
    merchantToken(p.timeStamp, p.iMid, p.tXid, p.amt, p.merchantKey),
  notification: (p: { iMid: string; tXid: string; amt: number | string; merchantKey: string }) =>
    merchantToken(p.iMid, p.tXid, p.amt, p.merchantKey),
  /** NICEPAY's linkEnable: no timeStamp. */
  linkEnable: (p: { iMid: string; referenceNo: string; billingPhone: string; merchantKey: string }) =>
    merchantToken(p.iMid, p.referenceNo, p.billingPhone, p.merchantKey),
  /** The gateway's own linkInquiry and linkDisable. */
  linkInquiry: (p: { timeStamp: string; iMid: string; mandateID: string; merchantKey: string }) =>
    merchantToken(p.timeStamp, p.iMid, p.mandateID, p.merchantKey),
  /** NICEPAY's linkInitiate: no timeStamp. */
  linkInitiate: (p: { iMid: string; referenceNo: string; amt: number | string; merchantKey: string }) =>
    merchantToken(p.iMid, p.referenceNo, p.amt, p.merchantKey),
  linkNotification: (p: { iMid: string; mandateID: string; linkStatus: string; merchantKey: string }) =>
    merchantToken(p.iMid, p.mandateID, p.linkStatus, p.merchantKey),
} as const;
