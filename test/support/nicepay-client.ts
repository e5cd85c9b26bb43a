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

  /** NICEPAY's linkEnable fields for AstraPay (CONTRACT §4), signed. */
  linkEnableFields(phone: string, overrides: Fields = {}): Fields {
    const referenceNo = String(overrides.referenceNo ?? `LNK${randomUUID().replace(/-/g, '').slice(0, 12)}`);
    return {
      timeStamp: nicepayTimestamp(new Date()),
      iMid,
      referenceNo,
      payMethod: '05',
      mitraCd: 'ASTR',
      billingNm: 'Budi Santoso',
      billingPhone: phone,
      billingEmail: 'budi@example.com',
      dbProcessUrl: this.dbProcessUrl,
      callBackUrl: this.callBackUrl,
      userIP: '127.0.0.1',
      merchantToken: merchantToken(iMid, referenceNo, String(overrides.billingPhone ?? phone), merchantKey),
      ...overrides,
    };
  }

  async linkEnable(phone: string, overrides: Fields = {}): Promise<Reply> {
    return (await this.post('/nicepay/api/linkEnable.do', this.linkEnableFields(phone, overrides))).body;
  }

  /** linkInquiry.do or linkDisable.do. */
  async linkCall(call: 'linkInquiry' | 'linkDisable', mandateID: string, overrides: Fields = {}): Promise<Reply> {
    const timeStamp = nicepayTimestamp(new Date());
    const fields = { timeStamp, iMid, mandateID, merchantToken: merchantToken(timeStamp, iMid, mandateID, merchantKey), ...overrides };
    return (await this.post(`/nicepay/api/${call}.do`, fields)).body;
  }

  linkInitiateFields(mandateID: string, overrides: Fields = {}): Fields {
    const referenceNo = String(overrides.referenceNo ?? `ORD${randomUUID().replace(/-/g, '').slice(0, 12)}`);
    const amt = overrides.amt ?? 15000;
    return {
      timeStamp: nicepayTimestamp(new Date()),
      iMid,
      mandateID,
      payMethod: '05',
      currency: 'IDR',
      amt,
      goodsNm: 'Kopi Susu Gula Aren',
      referenceNo,
      billingNm: 'Budi Santoso',
      billingPhone: '081234567890',
      billingEmail: 'budi@example.com',
      callBackUrl: this.callBackUrl,
      dbProcessUrl: this.dbProcessUrl,
      userIP: '127.0.0.1',
      merchantToken: merchantToken(iMid, referenceNo, amt, merchantKey),
      ...overrides,
    };
  }

  /** linkInitiate as a server client (JSON): answers the tXid and AstraPay's verification page. */
  async linkInitiate(mandateID: string, overrides: Fields = {}): Promise<Reply> {
    return (await this.post('/nicepay/api/linkInitiate.do', this.linkInitiateFields(mandateID, overrides))).body;
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

  /** NICEPAY's cancel: cancelType "1" full, "2" partial; token timeStamp+iMid+tXid+amt+merchantKey. */
  cancelFields(reg: Reply, cancelType: '1' | '2', amt: number, overrides: Fields = {}): Fields {
    const timeStamp = String(overrides.timeStamp ?? nicepayTimestamp(new Date()));
    return {
      timeStamp,
      iMid,
      tXid: reg.tXid ?? '',
      payMethod: '05',
      cancelType,
      amt,
      cancelMsg: 'cancelled by the shop',
      merchantToken: merchantToken(timeStamp, iMid, reg.tXid ?? '', amt, merchantKey),
      ...overrides,
    };
  }

  async cancel(reg: Reply, cancelType: '1' | '2', amt: number, overrides: Fields = {}): Promise<Reply> {
    return (await this.post('/nicepay/direct/v2/cancel', this.cancelFields(reg, cancelType, amt, overrides))).body;
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
