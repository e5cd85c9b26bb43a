import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The shop's NICEPAY integration, as any merchant backend would write it against NICEPAY's published v2 API
 * (CONTRACT §3) and its AstraPay account-link API (CONTRACT §4): signed JSON calls to the gateway's public
 * endpoints, nothing imported from the gateway's code.
 */

export interface MerchantCredentials {
  readonly iMid: string;
  readonly merchantKey: string;
}

/** NICEPAY's answers: flat JSON, every value read as text. */
export type NicepayReply = Readonly<Record<string, string>> & { readonly resultCd: string; readonly resultMsg: string };

/** Every string or number field as text; `undefined` when it is no NICEPAY reply (no `resultCd`). */
function asReply(json: unknown): NicepayReply | undefined {
  const parsed = z.record(z.string(), z.unknown()).safeParse(json);
  if (!parsed.success) return undefined;
  const fields = Object.fromEntries(Object.entries(parsed.data).flatMap(([k, v]) => (typeof v === 'string' || typeof v === 'number' ? [[k, String(v)]] : [])));
  const { resultCd, resultMsg = '' } = fields;
  return resultCd === undefined ? undefined : { ...fields, resultCd, resultMsg };
}

/** The gateway could not be asked (down, timed out, answered something that is not NICEPAY JSON). */
export class GatewayUnavailableError extends Error {}

export interface Registration {
  readonly mitraCd: string;
  readonly amt: number;
  readonly referenceNo: string;
  readonly goodsNm: string;
  readonly cartData: string;
  readonly billingNm: string;
  readonly billingPhone: string;
  readonly billingEmail: string;
  readonly dbProcessUrl: string;
  readonly callBackUrl: string;
  readonly userIP: string;
}

export interface TransactionRef {
  readonly tXid: string;
  readonly referenceNo: string;
  readonly amt: number;
}

/** `linkEnable.do`: ask the customer to link an AstraPay account to this merchant (CONTRACT §4). */
export interface LinkRequest {
  /** The link request's own id (not an order's). */
  readonly referenceNo: string;
  readonly billingNm: string;
  readonly billingPhone: string;
  readonly billingEmail: string;
  readonly dbProcessUrl: string;
  readonly callBackUrl: string;
  readonly userIP: string;
}

/** `linkInitiate.do`: a payment on an ACTIVE account link (CONTRACT §4). */
export interface LinkedPayment {
  readonly mandateID: string;
  readonly amt: number;
  readonly goodsNm: string;
  readonly referenceNo: string;
  readonly billingNm: string;
  readonly billingPhone: string;
  readonly billingEmail: string;
  readonly callBackUrl: string;
  readonly dbProcessUrl: string;
  readonly userIP: string;
}

/** lowercase hex SHA-256 of the concatenation (NICEPAY's `merchantToken`). */
export function merchantToken(...parts: ReadonlyArray<string | number>): string {
  return createHash('sha256').update(parts.map(String).join(''), 'utf8').digest('hex');
}

/** `YYYYMMDDHHmmss`, Jakarta time (WIB, UTC+7), as NICEPAY's `timeStamp`. */
export function nicepayTimestamp(at: Date = new Date()): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

export class ShopNicepayClient {
  constructor(
    private readonly merchant: MerchantCredentials,
    /** Server-to-server base URL of the gateway, e.g. `http://127.0.0.1:3000`. */
    private readonly gatewayBaseUrl: string,
    /** Where browsers reach the gateway. */
    private readonly gatewayPublicUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /** `POST /nicepay/direct/v2/registration`; token `timeStamp+iMid+referenceNo+amt+merchantKey`. */
  async register(r: Registration): Promise<NicepayReply> {
    const { iMid, merchantKey } = this.merchant;
    const timeStamp = nicepayTimestamp();
    return this.post('/nicepay/direct/v2/registration', {
      timeStamp,
      iMid,
      payMethod: '05',
      currency: 'IDR',
      ...r,
      amt: String(r.amt),
      merchantToken: merchantToken(timeStamp, iMid, r.referenceNo, r.amt, merchantKey),
    });
  }

  /** The browser's payment call: `GET {public gateway}/nicepay/direct/v2/payment?timeStamp&tXid&callBackUrl&merchantToken`. */
  paymentUrl(t: TransactionRef, callBackUrl: string): string {
    const { iMid, merchantKey } = this.merchant;
    const timeStamp = nicepayTimestamp();
    const query = new URLSearchParams({ timeStamp, tXid: t.tXid, callBackUrl, merchantToken: merchantToken(timeStamp, iMid, t.referenceNo, t.amt, merchantKey) });
    return `${this.gatewayPublicUrl}/nicepay/direct/v2/payment?${query.toString()}`;
  }

  /** `POST /nicepay/direct/v2/inquiry`; token `timeStamp+iMid+referenceNo+amt+merchantKey`. */
  async inquire(t: TransactionRef): Promise<NicepayReply> {
    const { iMid, merchantKey } = this.merchant;
    const timeStamp = nicepayTimestamp();
    return this.post('/nicepay/direct/v2/inquiry', {
      timeStamp,
      iMid,
      tXid: t.tXid,
      referenceNo: t.referenceNo,
      amt: String(t.amt),
      merchantToken: merchantToken(timeStamp, iMid, t.referenceNo, t.amt, merchantKey),
    });
  }

  /**
   * `POST /nicepay/api/linkEnable.do` (JSON answer: `referenceNo, mandateID, linkStatus, redirectUrl` while
   * PENDING); token, as NICEPAY: `iMid+referenceNo+billingPhone+merchantKey`.
   */
  async linkEnable(l: LinkRequest): Promise<NicepayReply> {
    const { iMid, merchantKey } = this.merchant;
    return this.post('/nicepay/api/linkEnable.do', {
      timeStamp: nicepayTimestamp(),
      iMid,
      payMethod: '05',
      mitraCd: 'ASTR',
      ...l,
      merchantToken: merchantToken(iMid, l.referenceNo, l.billingPhone, merchantKey),
    });
  }

  /** `POST /nicepay/api/linkInquiry.do` → `mandateID, linkStatus, billingPhone` (masked); token `timeStamp+iMid+mandateID+merchantKey`. */
  async linkInquiry(mandateID: string): Promise<NicepayReply> {
    return this.post('/nicepay/api/linkInquiry.do', this.mandateBody(mandateID));
  }

  /** `POST /nicepay/api/linkDisable.do` (unlink) → `mandateID, linkStatus, billingPhone`; token as the inquiry's. */
  async linkDisable(mandateID: string): Promise<NicepayReply> {
    return this.post('/nicepay/api/linkDisable.do', this.mandateBody(mandateID));
  }

  /**
   * `POST /nicepay/api/linkInitiate.do` → `tXid, referenceNo, redirectUrl` (AstraPay's verification page);
   * token, as NICEPAY: `iMid+referenceNo+amt+merchantKey`.
   */
  async linkInitiate(p: LinkedPayment): Promise<NicepayReply> {
    const { iMid, merchantKey } = this.merchant;
    return this.post('/nicepay/api/linkInitiate.do', {
      timeStamp: nicepayTimestamp(),
      iMid,
      payMethod: '05',
      currency: 'IDR',
      ...p,
      amt: String(p.amt),
      merchantToken: merchantToken(iMid, p.referenceNo, p.amt, merchantKey),
    });
  }

  private mandateBody(mandateID: string): Record<string, string> {
    const { iMid, merchantKey } = this.merchant;
    const timeStamp = nicepayTimestamp();
    return { timeStamp, iMid, mandateID, merchantToken: merchantToken(timeStamp, iMid, mandateID, merchantKey) };
  }

  private async post(path: string, body: Readonly<Record<string, string>>): Promise<NicepayReply> {
    let text: string;
    try {
      const res = await fetch(`${this.gatewayBaseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      throw new GatewayUnavailableError(`the payment gateway did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new GatewayUnavailableError('the payment gateway answered something that is not JSON');
    }
    const reply = asReply(json);
    if (!reply) throw new GatewayUnavailableError('the payment gateway answered without a resultCd');
    return reply;
  }
}
