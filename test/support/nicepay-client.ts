import { randomUUID } from 'node:crypto';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { sandboxMerchant } from '../../domain/merchants.js';
import { merchantToken } from '../../domain/merchant-token.js';

export type Fields = Record<string, string | number>;
export type Reply = Record<string, string>;

const { iMid, merchantKey } = sandboxMerchant;

/** A merchant integration as NICEPAY documents it: signed JSON calls to the gateway over HTTP. */
export class NicepayTestClient {
  constructor(readonly baseUrl: string, readonly dbProcessUrl: string, readonly callBackUrl: string) {}

  registrationFields(phone: string, overrides: Fields = {}): Fields {
    const timeStamp = nicepayTimestamp(new Date());
    const referenceNo = `ORD${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const amt = overrides.amt ?? 15000;
    return {
      timeStamp,
      iMid,
      payMethod: '05',
      currency: 'IDR',
      amt,
      referenceNo,
      goodsNm: 'Kopi Susu Gula Aren',
      billingNm: 'Budi Santoso',
      billingPhone: phone,
      billingEmail: 'budi@example.com',
      dbProcessUrl: this.dbProcessUrl,
      callBackUrl: this.callBackUrl,
      mitraCd: 'OVOE',
      userIP: '127.0.0.1',
      cartData: '{"count":1,"item":[{"goods_name":"Kopi","goods_amt":"15000"}]}',
      merchantToken: merchantToken(timeStamp, iMid, String(overrides.referenceNo ?? referenceNo), amt, merchantKey),
      ...overrides,
    };
  }

  async post(path: string, fields: Fields | string, contentType = 'application/json'): Promise<{ status: number; body: Reply }> {
    const body = typeof fields === 'string' ? fields : contentType.includes('json') ? JSON.stringify(fields) : new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await res.text();
    let parsed: Reply;
    try {
      parsed = JSON.parse(text) as Reply;
    } catch {
      parsed = { raw: text };
    }
    return { status: res.status, body: parsed };
  }

  async register(phone: string, overrides: Fields = {}): Promise<Reply> {
    const { body } = await this.post('/nicepay/direct/v2/registration', this.registrationFields(phone, overrides));
    return body;
  }

  paymentFields(reg: Reply, overrides: Fields = {}): Fields {
    const timeStamp = nicepayTimestamp(new Date());
    return {
      timeStamp,
      tXid: reg.tXid ?? '',
      callBackUrl: this.callBackUrl,
      merchantToken: merchantToken(timeStamp, iMid, reg.referenceNo ?? '', reg.amt ?? '', merchantKey),
      ...overrides,
    };
  }

  /** The payment call as a server client: NICEPAY's returnJsonFormat=1. */
  async payJson(reg: Reply, overrides: Fields = {}): Promise<Reply> {
    const { body } = await this.post('/nicepay/direct/v2/payment', { ...this.paymentFields(reg, overrides), returnJsonFormat: '1' }, 'application/x-www-form-urlencoded');
    return body;
  }

  inquiryFields(reg: Reply, overrides: Fields = {}): Fields {
    const timeStamp = nicepayTimestamp(new Date());
    return {
      timeStamp,
      iMid,
      tXid: reg.tXid ?? '',
      referenceNo: reg.referenceNo ?? '',
      amt: reg.amt ?? '',
      merchantToken: merchantToken(timeStamp, iMid, reg.referenceNo ?? '', reg.amt ?? '', merchantKey),
      ...overrides,
    };
  }

  async inquire(reg: Reply, overrides: Fields = {}): Promise<Reply> {
    const { body } = await this.post('/nicepay/direct/v2/inquiry', this.inquiryFields(reg, overrides));
    return body;
  }
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
