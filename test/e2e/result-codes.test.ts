/**
 * Every result code the registration, payment and inquiry routes can give for bad input (CONTRACT §2, §3),
 * over real HTTP on the whole stack: HTTP 200 (never 500), the exact resultCd, a resultMsg naming the field,
 * the contract's order of checks, and that a refused call changes nothing (status, registration, ledger).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sandboxMerchant } from '../../domain/merchants.js';
import { merchantToken } from '../../domain/merchant-token.js';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { newTxId } from '../../domain/tx-id.js';
import { E2eStack } from '../support/e2e-stack.js';
import { waitFor, type NicepayTestClient, type Reply } from '../support/nicepay-client.js';

const REGISTRATION = '/nicepay/direct/v2/registration';
const PAYMENT = '/nicepay/direct/v2/payment';
const INQUIRY = '/nicepay/direct/v2/inquiry';
const CANCEL = '/nicepay/direct/v2/cancel';
const FORM = 'application/x-www-form-urlencoded';
const { iMid, merchantKey } = sandboxMerchant;
const OTHER_KEY = 'not-the-merchant-key-of-IONPAYTEST';
const ZERO_TOKEN = '0'.repeat(64);
/** Two more merchants, configured like any other (MERCHANTS_JSON): one without OVO, one with it. */
const noOvoShop = { iMid: 'SHOPTEST01', merchantKey: 'shop-one-merchant-key-0123456789', name: 'Shop One', mitraCds: ['DANA'] } as const;
const ovoShop = { iMid: 'SHOPTEST02', merchantKey: 'shop-two-merchant-key-0123456789', name: 'Shop Two', mitraCds: ['OVOE'] } as const;

/** A request body as a test builds it: any JSON value per field, so fields can be objects, null or missing. */
type Body = Record<string, unknown>;

interface Answer {
  status: number;
  contentType: string;
  location: string | null;
  text: string;
  json: Reply | undefined;
}

interface LedgerEntry { type: 'charge' | 'refund'; merchantInvoice: string; amount: number }

/** A refusal the table expects: the code, and what the message must name (a field name, or a pattern). */
interface Row {
  name: string;
  mutate: (body: Body) => void;
  expectCd: string;
  names?: string | RegExp;
  /** A JSON value a form cannot carry (an object): the row is sent as JSON only. */
  jsonOnly?: boolean;
}

function encode(body: Body | unknown[] | string, contentType: string): string {
  if (typeof body === 'string') return body;
  if (/form/i.test(contentType)) {
    const entries = Object.entries(body).filter(([, v]) => v !== undefined);
    return new URLSearchParams(entries.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
  }
  return JSON.stringify(body);
}

async function read(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: Reply | undefined;
  try {
    json = JSON.parse(text) as Reply;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', location: res.headers.get('location'), text, json };
}

/** The field (as a whole word) or pattern the resultMsg must contain. */
function namePattern(names: string | RegExp): RegExp {
  return typeof names === 'string' ? new RegExp(`\\b${names}\\b`) : names;
}

/** HTTP 200, JSON, the exact resultCd, and a message naming the field where one is involved. */
function assertAnswer(answer: Answer, expectCd: string, names?: string | RegExp): void {
  assert.equal(answer.status, 200, `HTTP ${answer.status} (want 200): ${answer.text.slice(0, 300)}`);
  assert.match(answer.contentType, /^application\/json/, `a JSON answer, got ${answer.contentType}: ${answer.text.slice(0, 300)}`);
  const body = answer.json;
  assert.ok(body, `JSON body: ${answer.text.slice(0, 300)}`);
  assert.equal(body.resultCd, expectCd, `resultCd ${body.resultCd} (want ${expectCd}), resultMsg: ${body.resultMsg}`);
  assert.equal(typeof body.resultMsg, 'string');
  if (names !== undefined) assert.match(body.resultMsg ?? '', namePattern(names), `resultMsg names ${String(names)}`);
}

/** The registration token for the body's own fields, with any key: a test changes a field, then signs again. */
function sign(body: Body, key = merchantKey): void {
  body.merchantToken = merchantToken(String(body.timeStamp), String(body.iMid), String(body.referenceNo), String(body.amt), key);
}

function without(...fields: string[]): (body: Body) => void {
  return (body) => {
    for (const field of fields) delete body[field];
  };
}

function set(values: Body, resign = false): (body: Body) => void {
  return (body) => {
    Object.assign(body, values);
    if (resign) sign(body);
  };
}

describe('result codes for bad input: registration, payment and inquiry over HTTP (CONTRACT §2, §3)', () => {
  let stack: E2eStack;
  let client: NicepayTestClient;
  before(async () => {
    stack = await E2eStack.start({ MERCHANTS_JSON: JSON.stringify([noOvoShop, ovoShop]) });
    client = stack.merchantClient();
  });
  after(async () => {
    await stack?.stop();
  });

  const send = async (path: string, body: Body | unknown[] | string, contentType = 'application/json', headers: Record<string, string> = {}): Promise<Answer> =>
    read(await fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: encode(body, contentType), redirect: 'manual' }));
  const getPayment = async (fields: Body, headers: Record<string, string> = {}): Promise<Answer> =>
    read(await fetch(`${stack.apiUrl}${PAYMENT}?${encode(fields, FORM)}`, { headers, redirect: 'manual' }));
  const ledger = async (tXid: string): Promise<LedgerEntry[]> => {
    const res = await fetch(`${stack.sandbox.baseUrl}/sandbox/ledger?merchantInvoice=${encodeURIComponent(tXid)}`);
    return ((await res.json()) as { entries: LedgerEntry[] }).entries;
  };
  const registrationBody = (phone = '081200000002'): Body => ({ ...client.registrationFields(phone) });
  const register = async (phone = '081200000002'): Promise<Reply> => {
    const reg = await client.register(phone);
    assert.equal(reg.resultCd, '0000', reg.resultMsg);
    return reg;
  };
  const statusOf = async (reg: Reply): Promise<string | undefined> => {
    const inquiry = await client.inquire(reg);
    assert.equal(inquiry.resultCd, '0000', inquiry.resultMsg);
    return inquiry.status;
  };

  describe('registration', () => {
    const rows: Row[] = [
      // 9001: an invalid field not covered by another code; the message names it.
      { name: 'timeStamp not YYYYMMDDHHmmss', mutate: set({ timeStamp: '2025-01-01 10:00' }), expectCd: '9001', names: 'timeStamp' },
      { name: 'timeStamp of 13 digits', mutate: set({ timeStamp: '2025010110000' }), expectCd: '9001', names: 'timeStamp' },
      { name: 'billingEmail not an e-mail address', mutate: set({ billingEmail: 'budi.example.com' }), expectCd: '9001', names: 'billingEmail' },
      { name: 'dbProcessUrl not a URL', mutate: set({ dbProcessUrl: 'not a url' }), expectCd: '9001', names: 'dbProcessUrl' },
      { name: 'dbProcessUrl not http(s)', mutate: set({ dbProcessUrl: 'ftp://merchant.example/notify' }), expectCd: '9001', names: 'dbProcessUrl' },
      { name: 'callBackUrl not a URL', mutate: set({ callBackUrl: 'javascript:alert(1)' }), expectCd: '9001', names: 'callBackUrl' },
      { name: 'currency USD (only IDR)', mutate: set({ currency: 'USD' }), expectCd: '9001', names: 'currency' },
      { name: 'currency idr in lower case', mutate: set({ currency: 'idr' }), expectCd: '9001', names: 'currency' },
      { name: 'goodsNm an object', mutate: set({ goodsNm: { name: 'Kopi' } }), expectCd: '9001', names: 'goodsNm' },
      { name: 'billingNm an array', mutate: set({ billingNm: ['Budi', 'Santoso'] }), expectCd: '9001', names: 'billingNm' },
      { name: 'billingPhone not digits', mutate: set({ billingPhone: 'call me' }), expectCd: '9001', names: 'billingPhone' },
      { name: 'description over 255 characters', mutate: set({ description: 'x'.repeat(256) }), expectCd: '9001', names: 'description' },
      { name: 'goodsNm over 100 characters', mutate: set({ goodsNm: 'x'.repeat(101) }), expectCd: '9001', names: 'goodsNm' },
      { name: 'cartData an object (NICEPAY sends it as a JSON string)', mutate: set({ cartData: { count: 1, item: [] } }), expectCd: '9001', names: 'cartData' },
      { name: 'referenceNo over 40 characters', mutate: set({ referenceNo: 'R'.repeat(41) }, true), expectCd: '9001', names: 'referenceNo' },
      // 9011: the merchant is unknown or not named.
      { name: 'unknown iMid', mutate: set({ iMid: 'NOSUCHMID01' }, true), expectCd: '9011', names: 'iMid' },
      { name: 'iMid missing', mutate: without('iMid'), expectCd: '9011', names: 'iMid' },
      { name: 'iMid empty', mutate: set({ iMid: '' }), expectCd: '9011', names: 'iMid' },
      { name: 'iMid a number', mutate: set({ iMid: 12345 }), expectCd: '9011', names: 'iMid' },
      // 9007 / 9008: amt missing / not a positive whole number of rupiah.
      { name: 'amt missing', mutate: without('amt'), expectCd: '9007', names: 'amt' },
      { name: 'amt empty', mutate: set({ amt: '' }), expectCd: '9007', names: 'amt' },
      { name: 'amt null', mutate: set({ amt: null }), expectCd: '9007', names: 'amt' },
      { name: 'amt "abc"', mutate: set({ amt: 'abc' }, true), expectCd: '9008', names: 'amt' },
      { name: 'amt "-5"', mutate: set({ amt: '-5' }, true), expectCd: '9008', names: 'amt' },
      { name: 'amt "1.5"', mutate: set({ amt: '1.5' }, true), expectCd: '9008', names: 'amt' },
      { name: 'amt 1.5 as a number', mutate: set({ amt: 1.5 }, true), expectCd: '9008', names: 'amt' },
      { name: 'amt 0', mutate: set({ amt: 0 }, true), expectCd: '9008', names: 'amt' },
      { name: 'amt "0"', mutate: set({ amt: '0' }, true), expectCd: '9008', names: 'amt' },
      { name: 'amt an object', mutate: set({ amt: { value: 15000 } }), expectCd: '9008', names: 'amt' },
      { name: 'amt of 14 digits', mutate: set({ amt: '12345678901234' }, true), expectCd: '9008', names: 'amt' },
      // 9013–9018: each required billing/order field missing, one at a time.
      { name: 'currency missing', mutate: without('currency'), expectCd: '9013', names: 'currency' },
      { name: 'referenceNo missing', mutate: without('referenceNo'), expectCd: '9014', names: 'referenceNo' },
      { name: 'goodsNm missing', mutate: without('goodsNm'), expectCd: '9015', names: 'goodsNm' },
      { name: 'billingNm missing', mutate: without('billingNm'), expectCd: '9016', names: 'billingNm' },
      { name: 'billingNm blank', mutate: set({ billingNm: '   ' }), expectCd: '9016', names: 'billingNm' },
      { name: 'billingPhone missing', mutate: without('billingPhone'), expectCd: '9017', names: 'billingPhone' },
      { name: 'billingEmail missing', mutate: without('billingEmail'), expectCd: '9018', names: 'billingEmail' },
      // 9010: the token does not match.
      { name: 'merchantToken of zeros', mutate: set({ merchantToken: ZERO_TOKEN }), expectCd: '9010', names: 'merchantToken' },
      { name: 'merchantToken computed with another merchantKey', mutate: (b) => sign(b, OTHER_KEY), expectCd: '9010', names: 'merchantToken' },
      { name: 'amt changed after signing', mutate: set({ amt: 15001 }), expectCd: '9010', names: 'merchantToken' },
      { name: 'referenceNo changed after signing', mutate: set({ referenceNo: `ORD${randomUUID().slice(0, 8)}` }), expectCd: '9010', names: 'merchantToken' },
      // 9012: method or wallet not active for this merchant.
      { name: 'payMethod "01" (credit card)', mutate: set({ payMethod: '01' }), expectCd: '9012', names: 'payMethod' },
      { name: 'mitraCd "XXXX"', mutate: set({ mitraCd: 'XXXX' }), expectCd: '9012', names: 'mitraCd' },
      // The order of checks: the first failure in the contract's order answers.
      { name: 'order: currency AND referenceNo missing → 9013', mutate: without('currency', 'referenceNo'), expectCd: '9013', names: 'currency' },
      { name: 'order: amt AND goodsNm missing → 9007', mutate: without('amt', 'goodsNm'), expectCd: '9007', names: 'amt' },
      { name: 'order: billingEmail AND billingNm missing → 9016', mutate: without('billingEmail', 'billingNm'), expectCd: '9016', names: 'billingNm' },
      { name: 'order: unknown iMid AND amt missing → 9011', mutate: (b) => { b.iMid = 'NOSUCHMID01'; delete b.amt; }, expectCd: '9011', names: 'iMid' },
      { name: 'order: wrong token AND billingEmail missing → 9018', mutate: (b) => { b.merchantToken = ZERO_TOKEN; delete b.billingEmail; }, expectCd: '9018', names: 'billingEmail' },
      { name: 'order: invalid amt AND currency missing → 9008', mutate: (b) => { b.amt = 'abc'; delete b.currency; }, expectCd: '9008', names: 'amt' },
      { name: 'order: invalid timeStamp AND billingPhone missing → 9017', mutate: (b) => { b.timeStamp = 'yesterday'; delete b.billingPhone; }, expectCd: '9017', names: 'billingPhone' },
      { name: 'order: wrong token AND bad dbProcessUrl → 9001', mutate: (b) => { b.merchantToken = ZERO_TOKEN; b.dbProcessUrl = 'nope'; }, expectCd: '9001', names: 'dbProcessUrl' },
    ];

    for (const row of rows) {
      test(`${row.name} → ${row.expectCd}`, async () => {
        const body = registrationBody();
        row.mutate(body);
        assertAnswer(await send(REGISTRATION, body), row.expectCd, row.names);
      });
    }

    test('the same refusals come from a form body (application/x-www-form-urlencoded)', async () => {
      const formRows = rows.filter((r) => ['amt missing', 'amt "abc"', 'billingEmail missing', 'unknown iMid', 'merchantToken of zeros', 'mitraCd "XXXX"', 'currency USD (only IDR)'].includes(r.name));
      assert.equal(formRows.length, 7);
      for (const row of formRows) {
        const body = registrationBody();
        row.mutate(body);
        assertAnswer(await send(REGISTRATION, body, FORM), row.expectCd, row.names);
      }
    });

    test('a merchantToken missing or not 64 hex characters is refused, naming merchantToken (9001 or 9010: the contract does not say which)', async () => {
      for (const token of ['abc', 'z'.repeat(64), 'a'.repeat(40), undefined]) {
        const body = registrationBody();
        if (token === undefined) delete body.merchantToken;
        else body.merchantToken = token;
        const answer = await send(REGISTRATION, body);
        const code = answer.json?.resultCd ?? '';
        assert.ok(['9001', '9010'].includes(code), `token ${String(token)}: resultCd ${code}`);
        assertAnswer(answer, code, 'merchantToken');
      }
    });

    test('a refused registration (wrong token) registers nothing: its tXid is unknown (8004)', async () => {
      const body = registrationBody();
      body.merchantToken = merchantToken(String(body.timeStamp), iMid, String(body.referenceNo), String(body.amt), OTHER_KEY);
      assertAnswer(await send(REGISTRATION, body), '9010', 'merchantToken');
      const tXid = newTxId(iMid, String(body.referenceNo), new Date());
      assertAnswer(await send(INQUIRY, client.inquiryFields({ tXid, referenceNo: String(body.referenceNo), amt: String(body.amt) })), '8004', 'tXid');
      // The right token afterwards registers it: the refused call left no trace in the way (no 9009, a fresh tXid).
      sign(body);
      const reg = await send(REGISTRATION, body);
      assertAnswer(reg, '0000');
      assert.match(String(reg.json?.tXid), new RegExp(`^${tXid.slice(0, -6)}[0-9A-Z]{6}$`));
    });

    test('9009: the same iMid+referenceNo with another amt, goodsNm or billingEmail; the original registration is intact', async () => {
      const original = registrationBody();
      const first = await send(REGISTRATION, original);
      assertAnswer(first, '0000');
      const reg = first.json ?? {};

      const otherAmt = { ...original, amt: 20000 };
      sign(otherAmt);
      assertAnswer(await send(REGISTRATION, otherAmt), '9009', 'referenceNo');
      const otherGoods = { ...original, goodsNm: 'Es Teh Manis' };
      sign(otherGoods);
      assertAnswer(await send(REGISTRATION, otherGoods), '9009', 'referenceNo');
      const otherEmailForm = { ...original, billingEmail: 'someone.else@example.com' };
      sign(otherEmailForm);
      assertAnswer(await send(REGISTRATION, otherEmailForm, FORM), '9009', 'referenceNo');

      // Order: a wrong token is refused before the state check.
      assertAnswer(await send(REGISTRATION, { ...otherAmt, merchantToken: ZERO_TOKEN }), '9010', 'merchantToken');

      const inquiry = await client.inquire(reg);
      assert.deepEqual([inquiry.resultCd, inquiry.status, inquiry.amt, inquiry.goodsNm], ['0000', '3', '15000', original.goodsNm]);
      // The conflicting amount is not what is registered.
      const wrongAmt = await send(INQUIRY, client.inquiryFields({ ...reg, amt: '20000' }));
      assert.notEqual(wrongAmt.json?.resultCd, '0000');
      // The original content again is still the same registration.
      const again = { ...original, timeStamp: nicepayTimestamp(new Date()) };
      sign(again);
      const repeated = await send(REGISTRATION, again);
      assertAnswer(repeated, '0000');
      assert.equal(repeated.json?.tXid, reg.tXid);
    });

    test('accepted: JSON, Application/JSON (as NICEPAY clients send), JSON with charset, and form bodies, in any case', async () => {
      for (const contentType of ['application/json', 'Application/JSON', 'application/json; charset=UTF-8', FORM, 'Application/X-WWW-Form-Urlencoded; charset=utf-8']) {
        const answer = await send(REGISTRATION, registrationBody(), contentType);
        assertAnswer(answer, '0000');
        assert.match(answer.json?.tXid ?? '', /^IONPAYTEST05[0-9A-Z]{18}$/, contentType);
      }
    });
  });

  describe('malformed bodies on every route → 9001', () => {
    const routes = [REGISTRATION, PAYMENT, INQUIRY];
    const bodies: Array<{ name: string; body: string; contentType: string; names: RegExp }> = [
      { name: 'body not JSON', body: '{"iMid": "IONPAYTEST", ', contentType: 'application/json', names: /JSON/ },
      { name: 'body not JSON (Application/JSON)', body: 'iMid=IONPAYTEST', contentType: 'Application/JSON', names: /JSON/ },
      { name: 'body a JSON array', body: '[{"iMid":"IONPAYTEST"}]', contentType: 'application/json', names: /object/ },
      { name: 'body a JSON string', body: '"IONPAYTEST"', contentType: 'application/json', names: /JSON|object/ },
      { name: 'body JSON null', body: 'null', contentType: 'application/json', names: /JSON|object/ },
      { name: 'content type text/plain', body: '{"iMid":"IONPAYTEST"}', contentType: 'text/plain', names: /Content-Type/i },
      { name: 'content type application/xml', body: '<iMid>IONPAYTEST</iMid>', contentType: 'application/xml', names: /Content-Type/i },
      { name: 'content type multipart/form-data', body: '--x\r\nContent-Disposition: form-data; name="iMid"\r\n\r\nIONPAYTEST\r\n--x--\r\n', contentType: 'multipart/form-data; boundary=x', names: /Content-Type/i },
    ];
    for (const route of routes) {
      for (const { name, body, contentType, names } of bodies) {
        test(`${route.split('/').pop() ?? route}: ${name} → 9001`, async () => {
          assertAnswer(await send(route, body, contentType), '9001', names);
        });
      }
    }

    const big = (size: number): Body => ({ ...client.registrationFields('081200000002'), description: 'x'.repeat(size) });
    for (const route of routes) {
      test(`${route.split('/').pop() ?? route}: a body over 64 kB → HTTP 200 with 9001 (JSON, form and text/plain)`, async () => {
        for (const contentType of ['application/json', FORM, 'text/plain']) {
          const answer = await send(route, big(70 * 1024), contentType);
          assertAnswer(answer, '9001');
          assert.match(answer.json?.resultMsg ?? '', /too large|Content-Type/i, contentType);
        }
      });
    }

    for (const route of routes) {
      const name = route.split('/').pop() ?? route;
      test(`${name}: a Content-Encoding the bytes do not match (gzip, deflate, br) → 9001, not 1003 (internal error is never for bad input)`, async () => {
        const body = JSON.stringify(client.registrationFields('081200000002'));
        for (const encoding of ['gzip', 'deflate', 'br']) {
          assertAnswer(await send(route, body, 'application/json', { 'content-encoding': encoding }), '9001');
        }
      });
      test(`${name}: an unsupported Content-Encoding → 9001`, async () => {
        assertAnswer(await send(route, '{}', 'application/json', { 'content-encoding': 'compress' }), '9001', /encoding/);
      });
      test(`${name}: a body with no Content-Type → 9001`, async () => {
        const answer = await read(await fetch(`${stack.apiUrl}${route}`, { method: 'POST', body: new Blob([JSON.stringify(client.registrationFields('081200000002'))]) }));
        assertAnswer(answer, '9001', /Content-Type/i);
      });
      test(`${name}: a form of more than 100 fields → 9001`, async () => {
        assertAnswer(await send(route, Array.from({ length: 150 }, (_, i) => `f${i}=1`).join('&'), FORM), '9001');
      });
    }

    test('a gzip-compressed JSON registration is read like any other', async () => {
      const res = await fetch(`${stack.apiUrl}${REGISTRATION}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify(client.registrationFields('081200000002'))),
      });
      assertAnswer(await read(res), '0000');
    });

    test('a body just under 64 kB is read (and refused for its content, not its size)', async () => {
      const answer = await send(REGISTRATION, big(60 * 1024));
      assertAnswer(answer, '9001', 'description');
    });
  });

  describe('payment (GET and POST; JSON via returnJsonFormat=1)', () => {
    let reg: Reply;
    before(async () => {
      reg = await register();
    });

    const payRows: Row[] = [
      { name: 'unknown tXid of the right shape', mutate: (b) => { b.tXid = newTxId(iMid, `never-${randomUUID()}`, new Date()); }, expectCd: '8004', names: 'tXid' },
      { name: 'unknown tXid of another shape', mutate: set({ tXid: 'TXID-THAT-DOES-NOT-EXIST' }), expectCd: '8004', names: 'tXid' },
      { name: 'tXid over 30 characters', mutate: set({ tXid: 'X'.repeat(31) }), expectCd: '9001', names: 'tXid' },
      { name: 'tXid missing', mutate: without('tXid'), expectCd: '9001', names: 'tXid' },
      { name: 'timeStamp not YYYYMMDDHHmmss', mutate: set({ timeStamp: 'now' }), expectCd: '9001', names: 'timeStamp' },
      { name: 'callBackUrl not http(s)', mutate: set({ callBackUrl: 'ftp://shop.example/return' }), expectCd: '9001', names: 'callBackUrl' },
      { name: 'merchantToken of zeros', mutate: set({ merchantToken: ZERO_TOKEN }), expectCd: '9010', names: 'merchantToken' },
      { name: 'merchantToken computed with another merchantKey', mutate: (b) => { b.merchantToken = merchantToken(String(b.timeStamp), iMid, reg.referenceNo ?? '', reg.amt ?? '', OTHER_KEY); }, expectCd: '9010', names: 'merchantToken' },
      { name: 'merchantToken for another amount', mutate: (b) => { b.merchantToken = merchantToken(String(b.timeStamp), iMid, reg.referenceNo ?? '', '1', merchantKey); }, expectCd: '9010', names: 'merchantToken' },
      { name: 'merchantToken for another timeStamp', mutate: set({ timeStamp: '20200101000000' }), expectCd: '9010', names: 'merchantToken' },
    ];

    for (const row of payRows) {
      test(`${row.name} → ${row.expectCd} (POST form, GET query, POST Application/JSON)`, async () => {
        const body: Body = { ...client.paymentFields(reg), returnJsonFormat: '1' };
        row.mutate(body);
        assertAnswer(await send(PAYMENT, body, FORM), row.expectCd, row.names);
        assertAnswer(await getPayment(body), row.expectCd, row.names);
        assertAnswer(await send(PAYMENT, body, 'Application/JSON'), row.expectCd, row.names);
      });
    }

    test('Accept: application/json also gets JSON refusals', async () => {
      assertAnswer(await getPayment({ ...client.paymentFields(reg), merchantToken: ZERO_TOKEN }, { accept: 'application/json' }), '9010', 'merchantToken');
    });

    test('returnJsonFormat sent as the JSON number 1 gets JSON too (numbers may come as numbers, CONTRACT §2)', async () => {
      const answer = await send(PAYMENT, { ...client.paymentFields(reg), merchantToken: ZERO_TOKEN, returnJsonFormat: 1 }, 'application/json');
      assertAnswer(answer, '9010', 'merchantToken');
    });

    test('a browser payment call with a bad token: an HTML page with the code, HTTP 200, no redirect', async () => {
      const answer = await getPayment({ ...client.paymentFields(reg), merchantToken: ZERO_TOKEN });
      assert.equal(answer.status, 200, answer.text.slice(0, 300));
      assert.equal(answer.location, null, 'no redirect');
      assert.match(answer.contentType, /^text\/html/);
      assert.match(answer.text, /9010/);
      assert.match(answer.text, /merchantToken/);
      const posted = await send(PAYMENT, { ...client.paymentFields(reg), merchantToken: ZERO_TOKEN }, FORM);
      assert.deepEqual([posted.status, posted.location], [200, null]);
      assert.match(posted.contentType, /^text\/html/);
      assert.match(posted.text, /9010/);
    });

    test('a browser payment call for an unknown tXid: an HTML page with 8004, HTTP 200', async () => {
      const answer = await getPayment({ ...client.paymentFields(reg), tXid: newTxId(iMid, `never-${randomUUID()}`, new Date()) });
      assert.deepEqual([answer.status, answer.location], [200, null]);
      assert.match(answer.contentType, /^text\/html/);
      assert.match(answer.text, /8004/);
    });

    test('nothing changed: after all refused payment calls the transaction is unpaid (3), never charged, never notified', async () => {
      assert.equal(await statusOf(reg), '3');
      assert.deepEqual(await ledger(reg.tXid ?? ''), []);
      assert.deepEqual(stack.merchant.for(reg.tXid ?? ''), []);
    });

    test('accepted: a payment call as a form POST, as Application/JSON and as a GET, each with returnJsonFormat=1', async () => {
      const viaForm = await register('081200000002');
      const viaJson = await register('081200000002');
      const viaGet = await register('081200000002');
      const answers = [
        await send(PAYMENT, { ...client.paymentFields(viaForm), returnJsonFormat: '1' }, FORM),
        await send(PAYMENT, { ...client.paymentFields(viaJson), returnJsonFormat: '1' }, 'Application/JSON'),
        await getPayment({ ...client.paymentFields(viaGet), returnJsonFormat: '1' }),
      ];
      for (const answer of answers) {
        assertAnswer(answer, '0000');
        assert.ok(['9', '4'].includes(answer.json?.status ?? ''), `status ${answer.json?.status}`);
      }
    });

    test('9502: a payment call on a transaction already paid; the ledger keeps one charge', async () => {
      const paid = await register('081200000000');
      const pay = await client.payJson(paid);
      assert.equal(pay.resultCd, '0000', pay.resultMsg);
      await waitFor(() => stack.merchant.for(paid.tXid ?? '').find((n) => n.fields.status === '0'), 'the paid notification');

      assertAnswer(await send(PAYMENT, { ...client.paymentFields(paid), returnJsonFormat: '1' }, FORM), '9502');
      assertAnswer(await getPayment({ ...client.paymentFields(paid), returnJsonFormat: '1' }), '9502');
      const browser = await getPayment(client.paymentFields(paid));
      assert.deepEqual([browser.status, browser.location], [200, null]);
      assert.match(browser.text, /9502/);
      // Order: the token is checked before the state.
      assertAnswer(await send(PAYMENT, { ...client.paymentFields(paid), merchantToken: ZERO_TOKEN, returnJsonFormat: '1' }, FORM), '9010', 'merchantToken');

      assert.equal(await statusOf(paid), '0');
      assert.deepEqual((await ledger(paid.tXid ?? '')).map((e) => [e.type, e.amount]), [['charge', 15000]]);
    });
  });

  describe('inquiry', () => {
    let reg: Reply;
    before(async () => {
      reg = await register();
    });

    const inquiryRows: Row[] = [
      { name: 'unknown iMid', mutate: (b) => { b.iMid = 'NOSUCHMID01'; }, expectCd: '9011', names: 'iMid' },
      { name: 'iMid missing', mutate: without('iMid'), expectCd: '9011', names: 'iMid' },
      { name: 'amt missing', mutate: without('amt'), expectCd: '9007', names: 'amt' },
      { name: 'amt "abc"', mutate: set({ amt: 'abc' }), expectCd: '9008', names: 'amt' },
      { name: 'amt "-5"', mutate: set({ amt: '-5' }), expectCd: '9008', names: 'amt' },
      { name: 'amt "1.5"', mutate: set({ amt: '1.5' }), expectCd: '9008', names: 'amt' },
      { name: 'amt 0', mutate: set({ amt: 0 }), expectCd: '9008', names: 'amt' },
      { name: 'referenceNo missing', mutate: without('referenceNo'), expectCd: '9014', names: 'referenceNo' },
      { name: 'tXid missing', mutate: without('tXid'), expectCd: '9001', names: 'tXid' },
      { name: 'tXid an object', mutate: set({ tXid: { id: 'x' } }), expectCd: '9001', names: 'tXid', jsonOnly: true },
      { name: 'timeStamp not YYYYMMDDHHmmss', mutate: set({ timeStamp: '20250101' }), expectCd: '9001', names: 'timeStamp' },
      { name: 'merchantToken of zeros', mutate: set({ merchantToken: ZERO_TOKEN }), expectCd: '9010', names: 'merchantToken' },
      {
        name: 'merchantToken computed with another merchantKey',
        mutate: (b) => { b.merchantToken = merchantToken(String(b.timeStamp), iMid, String(b.referenceNo), String(b.amt), OTHER_KEY); },
        expectCd: '9010',
        names: 'merchantToken',
      },
      { name: 'unknown tXid of the right shape (signed)', mutate: (b) => { b.tXid = newTxId(iMid, `never-${randomUUID()}`, new Date()); }, expectCd: '8004', names: 'tXid' },
      { name: 'unknown tXid of another shape (signed)', mutate: set({ tXid: 'NOTATXID' }), expectCd: '8004', names: 'tXid' },
      {
        name: 'the right tXid with another referenceNo (signed for it)',
        mutate: (b) => {
          b.referenceNo = `ORD${randomUUID().slice(0, 8)}`;
          b.merchantToken = merchantToken(String(b.timeStamp), iMid, String(b.referenceNo), String(b.amt), merchantKey);
        },
        expectCd: '8004',
        names: 'tXid',
      },
      {
        name: 'the right tXid and referenceNo with another amt (signed for it)',
        mutate: (b) => {
          b.amt = '15001';
          b.merchantToken = merchantToken(String(b.timeStamp), iMid, String(b.referenceNo), '15001', merchantKey);
        },
        expectCd: '9001',
        names: 'amt',
      },
      // The order of checks.
      { name: 'order: unknown iMid AND amt missing → 9011', mutate: (b) => { b.iMid = 'NOSUCHMID01'; delete b.amt; }, expectCd: '9011', names: 'iMid' },
      { name: 'order: wrong token AND referenceNo missing → 9014', mutate: (b) => { b.merchantToken = ZERO_TOKEN; delete b.referenceNo; }, expectCd: '9014', names: 'referenceNo' },
      { name: 'order: wrong token AND unknown tXid → 9010 (token before state)', mutate: (b) => { b.merchantToken = ZERO_TOKEN; b.tXid = newTxId(iMid, `never-${randomUUID()}`, new Date()); }, expectCd: '9010', names: 'merchantToken' },
    ];

    for (const row of inquiryRows) {
      test(`${row.name} → ${row.expectCd} (JSON${row.jsonOnly ? '' : ' and form'})`, async () => {
        const body: Body = { ...client.inquiryFields(reg) };
        row.mutate(body);
        assertAnswer(await send(INQUIRY, body), row.expectCd, row.names);
        if (!row.jsonOnly) assertAnswer(await send(INQUIRY, body, FORM), row.expectCd, row.names);
      });
    }

    test('accepted: JSON, Application/JSON, form, amt as a number', async () => {
      for (const contentType of ['application/json', 'Application/JSON', FORM]) {
        const answer = await send(INQUIRY, client.inquiryFields(reg), contentType);
        assertAnswer(answer, '0000');
        assert.deepEqual([answer.json?.tXid, answer.json?.status, answer.json?.amt], [reg.tXid, '3', '15000'], contentType);
      }
      assertAnswer(await send(INQUIRY, { ...client.inquiryFields(reg), amt: 15000 }), '0000');
    });

    test('nothing changed: after refused inquiries and a refused payment with a wrong token, the status is still 3', async () => {
      assertAnswer(await send(INQUIRY, { ...client.inquiryFields(reg), merchantToken: ZERO_TOKEN }), '9010', 'merchantToken');
      assertAnswer(await send(PAYMENT, { ...client.paymentFields(reg), merchantToken: ZERO_TOKEN, returnJsonFormat: '1' }, FORM), '9010', 'merchantToken');
      assert.equal(await statusOf(reg), '3');
      assert.deepEqual(await ledger(reg.tXid ?? ''), []);
    });
  });

  describe('other merchants (MERCHANTS_JSON): nothing crosses between merchants', () => {
    let reg: Reply;
    before(async () => {
      reg = await register();
    });
    const shopRegistration = (merchant: { iMid: string; merchantKey: string }, key = merchant.merchantKey): Body => {
      const body: Body = { ...client.registrationFields('081200000002'), iMid: merchant.iMid };
      sign(body, key);
      return body;
    };
    const shopInquiry = (merchant: { iMid: string; merchantKey: string }, of: Reply): Body => {
      const timeStamp = nicepayTimestamp(new Date());
      const token = merchantToken(timeStamp, merchant.iMid, of.referenceNo ?? '', of.amt ?? '', merchant.merchantKey);
      return { timeStamp, iMid: merchant.iMid, tXid: of.tXid, referenceNo: of.referenceNo, amt: of.amt, merchantToken: token };
    };

    test('a wallet the gateway serves but not active for this merchant → 9012 naming mitraCd', async () => {
      assertAnswer(await send(REGISTRATION, shopRegistration(noOvoShop)), '9012', 'mitraCd');
    });

    test('a registration for one iMid signed with another merchant\'s key → 9010; with its own key → 0000 under its iMid', async () => {
      assertAnswer(await send(REGISTRATION, shopRegistration(ovoShop, merchantKey)), '9010', 'merchantToken');
      const own = await send(REGISTRATION, shopRegistration(ovoShop));
      assertAnswer(own, '0000');
      assert.match(own.json?.tXid ?? '', /^SHOPTEST0205[0-9A-Z]{18}$/);
    });

    test('an inquiry by another merchant, correctly signed with its own key, for this merchant\'s tXid → 8004 (both ways)', async () => {
      assertAnswer(await send(INQUIRY, shopInquiry(ovoShop, reg)), '8004', 'tXid');
      const theirs = (await send(REGISTRATION, shopRegistration(ovoShop))).json ?? {};
      assert.equal(theirs.resultCd, '0000', theirs.resultMsg);
      assertAnswer(await send(INQUIRY, shopInquiry(ovoShop, theirs)), '0000');
      assertAnswer(await send(INQUIRY, shopInquiry(sandboxMerchant, theirs)), '8004', 'tXid');
    });

    test('finding 10: another merchant\'s tXid is answered exactly like an unknown one (inquiry and cancel)', async () => {
      const unknown: Reply = { ...reg, tXid: newTxId(iMid, `never-${randomUUID()}`, new Date()) };
      const answer = async (path: string, body: Body) => {
        const { resultCd, resultMsg } = (await send(path, body)).json ?? {};
        return { resultCd, resultMsg };
      };
      const shopCancel = (merchant: { iMid: string; merchantKey: string }, of: Reply): Body => {
        const timeStamp = nicepayTimestamp(new Date());
        return { timeStamp, iMid: merchant.iMid, tXid: of.tXid, payMethod: '05', cancelType: '1', amt: of.amt, cancelMsg: 'x', merchantToken: merchantToken(timeStamp, merchant.iMid, of.tXid ?? '', of.amt ?? '', merchant.merchantKey) };
      };
      const foreignInquiry = await answer(INQUIRY, shopInquiry(ovoShop, reg));
      assert.equal(foreignInquiry.resultCd, '8004');
      assert.deepEqual(foreignInquiry, await answer(INQUIRY, shopInquiry(ovoShop, unknown)));
      const foreignCancel = await answer(CANCEL, shopCancel(ovoShop, reg));
      assert.equal(foreignCancel.resultCd, '8004');
      assert.deepEqual(foreignCancel, await answer(CANCEL, shopCancel(ovoShop, unknown)));
      assert.equal(await statusOf(reg), '3', 'nothing changed');
    });

    test('a payment call for this merchant\'s tXid signed with another merchant\'s key → 9010, nothing paid', async () => {
      const fields: Body = { ...client.paymentFields(reg), returnJsonFormat: '1' };
      fields.merchantToken = merchantToken(String(fields.timeStamp), ovoShop.iMid, reg.referenceNo ?? '', reg.amt ?? '', ovoShop.merchantKey);
      assertAnswer(await send(PAYMENT, fields, FORM), '9010', 'merchantToken');
      assert.equal(await statusOf(reg), '3');
      assert.deepEqual(await ledger(reg.tXid ?? ''), []);
    });
  });
});
