/**
 * Hostile input (issue 15, part 3): property-based tests (fast-check) over real HTTP on the whole stack. Every
 * NICEPAY route and every wallet callback route gets random and malformed requests: random JSON values, signed
 * requests with one field mutated, random forms, random content types and encodings, invalid JSON, bodies over the
 * 64 kB limit, forged and correctly signed but wrong callbacks, slow clients. The properties:
 *   - a NICEPAY route answers HTTP 200 with JSON `{resultCd, resultMsg}` and a contract refusal code (never 0000,
 *     never 1003), or, on a browser-style route (payment, linkEnable, linkInitiate), an HTML error page with HTTP 200;
 *     never a redirect (no request here is fully valid), never 5xx, never a hang-up;
 *   - a callback answers 400, 401, 404, 413, 415 or 422 with a JSON `{error}`; never 2xx, never 5xx (a body over
 *     the limit: 413);
 *   - the operator API answers 401 without its token; with it 200, 404 or (a malformed path) 400; never 5xx;
 *   - nothing changes: no workflow is started, no existing payment or account link receives a signal or an update,
 *     the sandbox ledger and the merchant's notifications stay as they were, inquiries answer the same.
 * Replay a failing run with the seed fast-check prints: `FC_SEED=<seed> node --import tsx --test <this file>`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { sandboxMerchant } from '../../domain/merchants.js';
import { merchantToken } from '../../domain/merchant-token.js';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { newTxId } from '../../domain/tx-id.js';
import { SANDBOX_DANA_PRIVATE_KEY } from '../../sandbox/dana/sandbox-keys.js';
import { SANDBOX_ASTRAPAY_PRIVATE_KEY } from '../../sandbox/astrapay/sandbox-keys.js';
import { SANDBOX_LINKAJA_PRIVATE_KEY } from '../../sandbox/linkaja/sandbox-keys.js';
import { SANDBOX_OVO_PRIVATE_KEY } from '../../sandbox/ovo/sandbox-keys.js';
import { SANDBOX_SHOPEEPAY_PRIVATE_KEY } from '../../sandbox/shopeepay/sandbox-keys.js';
import { freePort } from '../support/free-port.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor, type Reply } from '../support/nicepay-client.js';

const { iMid, merchantKey } = sandboxMerchant;
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
/** fast-check's settings for one property: `numRuns`, and the seed when one is given to replay a failure. */
const runs = (numRuns: number): { numRuns: number; seed?: number; includeErrorInReport: true } =>
  SEED === undefined ? { numRuns, includeErrorInReport: true } : { numRuns, seed: SEED, includeErrorInReport: true };

/** Every non-0000 code bad input may get (CONTRACT §2); 1003 (internal error) is never for bad input. */
const REFUSAL_CODES = new Set(['9001', '9007', '9008', '9009', '9010', '9011', '9012', '9013', '9014', '9015', '9016', '9017', '9018', '8004', '9502']);
/** A callback refused: malformed (400), not signed right (401), unknown (404), too large (413), unreadable encoding (415), amount (422). */
const CALLBACK_REFUSALS = new Set([400, 401, 404, 413, 415, 422]);
/** Percent escapes a URL decoder cannot decode: a path with one is malformed (400). */
const MALFORMED_ESCAPES = ['%', '%E0', '%zz', '%C0%AF', '%ED%A0%80', '%E0%A4%A', '%%', '%2'] as const;
/** body-parser's `64kb`. */
const BODY_LIMIT = 64 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// HTTP: node:http rather than fetch, so a test decides every header (fetch adds a Content-Type to string bodies),
// can send a body with GET, chunked or not, and sees a hang-up as what it is.

interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

interface HttpCall {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: Buffer | string;
  /** Transfer-Encoding: chunked instead of Content-Length. */
  readonly chunked?: boolean;
}

/** A connection per request: one hostile request cannot spoil the connection of the next. */
const agent = new Agent({ keepAlive: false });
const ANSWER_TIMEOUT_MS = 15_000;

function http(c: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(c.headers ?? {})) if (value !== undefined) headers[name] = value;
    if (c.chunked) headers['transfer-encoding'] = 'chunked';
    else if (body) headers['content-length'] = String(body.length);
    let answered = false;
    const req = httpRequest(c.url, { method: c.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => reject(new Error(`${c.method} ${c.url}: the answer broke off: ${err.message}`)));
    });
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    // The server may answer (and stop reading) before a large body is written: only an error before the answer counts.
    req.on('error', (err) => {
      if (!answered) reject(new Error(`${c.method} ${c.url.slice(0, 200)}: ${err.message} (socket hang-up or no answer)`));
    });
    if (body && c.chunked) for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
    else if (body) req.write(body);
    req.end();
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const clip = (text: string, n = 300): string => (text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text);

// ---------------------------------------------------------------------------------------------------------------
// The NICEPAY routes.

type Body = Record<string, unknown>;
type RouteName = 'registration' | 'paymentGet' | 'paymentPost' | 'inquiry' | 'cancel' | 'linkEnable' | 'linkInquiry' | 'linkDisable' | 'linkInitiate';

interface Route {
  readonly name: RouteName;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Answers a browser (no JSON asked for) with an HTML page. */
  readonly browser: boolean;
}

const ROUTES: readonly Route[] = [
  { name: 'registration', method: 'POST', path: '/nicepay/direct/v2/registration', browser: false },
  { name: 'paymentGet', method: 'GET', path: '/nicepay/direct/v2/payment', browser: true },
  { name: 'paymentPost', method: 'POST', path: '/nicepay/direct/v2/payment', browser: true },
  { name: 'inquiry', method: 'POST', path: '/nicepay/direct/v2/inquiry', browser: false },
  { name: 'cancel', method: 'POST', path: '/nicepay/direct/v2/cancel', browser: false },
  { name: 'linkEnable', method: 'POST', path: '/nicepay/api/linkEnable.do', browser: true },
  { name: 'linkInquiry', method: 'POST', path: '/nicepay/api/linkInquiry.do', browser: false },
  { name: 'linkDisable', method: 'POST', path: '/nicepay/api/linkDisable.do', browser: false },
  { name: 'linkInitiate', method: 'POST', path: '/nicepay/api/linkInitiate.do', browser: true },
];
const POST_ROUTES = ROUTES.filter((r) => r.method === 'POST');

/** Every field name the routes read, so random bodies reach the field checks, not only the first one. */
const FIELD_NAMES = [
  'timeStamp', 'iMid', 'payMethod', 'currency', 'amt', 'referenceNo', 'goodsNm', 'billingNm', 'billingPhone', 'billingEmail',
  'dbProcessUrl', 'callBackUrl', 'mitraCd', 'userIP', 'cartData', 'description', 'merchantToken', 'tXid', 'cancelType',
  'cancelMsg', 'cancelUserId', 'returnJsonFormat', 'mandateID', 'reqDt', 'reqTm', 'vat', 'fee', 'notaxAmt', 'sellers',
] as const;

const JSON_TYPES = ['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'APPLICATION/JSON;Charset=UTF-8', 'application/vnd.nicepay+json'] as const;
const FORM_TYPES = ['application/x-www-form-urlencoded', 'Application/X-WWW-Form-Urlencoded; charset=utf-8'] as const;

/** A form as a browser or NICEPAY's clients send it; a value a form cannot carry (object, number, null) as its JSON text. */
function formEncode(body: unknown): string {
  if (!isRecord(body)) return typeof body === 'string' ? body : JSON.stringify(body) ?? '';
  const entries = Object.entries(body).filter(([, v]) => v !== undefined);
  return new URLSearchParams(entries.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString();
}

/** A GET's query string: the Node server refuses request heads over 16 kB itself (431), tested on its own below. */
const MAX_QUERY = 12_000;

/** How often each refusal was answered (JSON code, or `html <code>`), printed at the end: what the properties reached. */
const refusals = new Map<string, number>();
const count = (key: string) => refusals.set(key, (refusals.get(key) ?? 0) + 1);

function assertNicepayRefusal(route: Route, answer: HttpAnswer, sent: string): void {
  const context = `${route.method} ${route.path} ${clip(sent)}\n→ HTTP ${answer.status} ${answer.headers['content-type'] ?? '(no content type)'}: ${clip(answer.text)}`;
  assert.equal(answer.status, 200, `HTTP 200 for every answered request (a refusal is never a redirect, never 5xx): ${context}`);
  const contentType = answer.headers['content-type'] ?? '';
  if (/^application\/json/.test(contentType)) {
    const body = parseJson(answer.text);
    assert.ok(isRecord(body), `a JSON object: ${context}`);
    assert.deepEqual(Object.keys(body).sort(), ['resultCd', 'resultMsg'], `exactly resultCd and resultMsg: ${context}`);
    assert.equal(typeof body.resultMsg, 'string', context);
    assert.ok(typeof body.resultCd === 'string' && REFUSAL_CODES.has(body.resultCd), `a contract refusal code: ${context}`);
    count(body.resultCd);
    return;
  }
  assert.ok(route.browser, `only browser-style routes answer HTML: ${context}`);
  assert.match(contentType, /^text\/html/, context);
  const code = /\((\d{4})\)<\/div>/.exec(answer.text)?.[1];
  assert.ok(code !== undefined && REFUSAL_CODES.has(code), `an error page with a contract refusal code: ${context}`);
  count(`html ${code}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries.

/** A long string (1 kB to 70 kB) of a repeated random unit: emoji, any code point, control characters. */
const hugeString = fc
  .record({ unit: fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), length: fc.integer({ min: 1_000, max: 70_000 }) })
  .map(({ unit, length }) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const specialStrings = [
  '', ' ', '   ', '\u0000', 'IONPAYTEST\u0000', '\t\r\n', '\uD800', '\uDFFF', '💳💸🧾', 'Ｉ０Ｎ１２３', '\u202Eevil', '\u200B', '\uFEFF', 'null', 'undefined',
  'NaN', 'Infinity', '-1', '0', '00', '1e3', '0x10', '15000.00', ' 15000 ', '١٢٣', '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:ldap://x/a}',
  '../../etc/passwd', '%00', '%E0%A4%A', '__proto__', 'constructor', 'toString', 'javascript:alert(1)', 'http://', 'IONPAYTEST', '05', 'IDR', 'ASTR',
];

const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...specialStrings) },
  { weight: 1, arbitrary: hugeString },
);
const shortNasty = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom(' ', '\u0000', '\n', '💥', '.5', '0', '%', '\u0301'));

/** Any value a field may be given: strings of every kind, numbers, booleans, null, arrays, objects. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, -0.01, 1e21, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 15000, 150000000000000) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
);

const keyArb = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...FIELD_NAMES, '__proto__', 'constructor', 'hasOwnProperty', 'iMid[]', 'amt ', 'IMID'));

/** Any JSON value as a whole body: random objects (random keys, or the routes' field names), arrays, scalars, long strings. */
const anyBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }) },
  { weight: 3, arbitrary: fc.dictionary(keyArb, hostileValue, { maxKeys: 10 }) },
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { minKeys: 3, maxKeys: 20 }) },
  { weight: 1, arbitrary: fc.array(hostileValue, { maxLength: 5 }) },
  { weight: 1, arbitrary: hugeString },
);

type Mutation =
  | { readonly op: 'delete'; readonly key: number }
  | { readonly op: 'set'; readonly key: number; readonly value: unknown }
  | { readonly op: 'affix'; readonly key: number; readonly prefix: string; readonly suffix: string }
  | { readonly op: 'add'; readonly name: string; readonly value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), key: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), key: fc.nat(), value: hostileValue }),
  fc.record({ op: fc.constant('affix' as const), key: fc.nat(), prefix: shortNasty, suffix: shortNasty }),
  fc.record({ op: fc.constant('add' as const), name: keyArb, value: hostileValue }),
);

function mutate(body: Body, m: Mutation): string {
  const keys = Object.keys(body);
  if (m.op === 'add') {
    Object.defineProperty(body, m.name, { value: m.value, enumerable: true, configurable: true, writable: true });
    return `added ${JSON.stringify(m.name)}`;
  }
  const key = keys[m.key % keys.length] ?? 'iMid';
  if (m.op === 'delete') delete body[key];
  else if (m.op === 'set') body[key] = m.value;
  else body[key] = `${m.prefix}${typeof body[key] === 'string' || typeof body[key] === 'number' ? String(body[key]) : ''}${m.suffix}`;
  return `${m.op} ${key}`;
}

/** flip: one hex digit changed; zeros; otherKey: well-formed, but over other content with another key; uppercaseFlip. */
type TokenBreak = { readonly how: 'flip'; readonly at: number } | { readonly how: 'zeros' | 'otherKey' | 'uppercaseFlip' };
const tokenBreak: fc.Arbitrary<TokenBreak> = fc.oneof(
  fc.record({ how: fc.constant('flip' as const), at: fc.nat({ max: 63 }) }),
  fc.record({ how: fc.constantFrom('zeros' as const, 'otherKey' as const, 'uppercaseFlip' as const) }),
);

/** A token that is certainly wrong: the request can never be accepted, whatever else it carries. */
function breakToken(body: Body, b: TokenBreak): void {
  const token = typeof body.merchantToken === 'string' ? body.merchantToken : '0'.repeat(64);
  const flip = (t: string, at: number) => `${t.slice(0, at)}${t[at] === '0' ? '1' : '0'}${t.slice(at + 1)}`;
  if (b.how === 'flip') body.merchantToken = flip(token, b.at);
  else if (b.how === 'zeros') body.merchantToken = token === '0'.repeat(64) ? '1'.repeat(64) : '0'.repeat(64);
  else if (b.how === 'uppercaseFlip') body.merchantToken = flip(token, 0).toUpperCase();
  else body.merchantToken = merchantToken(JSON.stringify(body), 'not-the-merchant-key');
}

/** Lone surrogates become U+FFFD (what a UTF-8 body carries anyway), so encodeURIComponent accepts the string. */
const wellFormed = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/**
 * A query string as it goes on the wire, at most MAX_QUERY characters: what is not printable ASCII is percent-encoded
 * (as the URL parser of Node's client would do anyway, growing it up to 9 times), then it is cut (maybe mid-escape).
 */
const wireQuery = (s: string): string => s.replace(/[^\u0021-\u007e]/gu, (c) => encodeURIComponent(wellFormed(c))).slice(0, MAX_QUERY);

/** Random `k=v&…` strings: repeated keys, brackets, broken percent escapes, unicode, the routes' field names. */
const formString = fc
  .array(
    fc.record({
      key: fc.oneof(fc.constantFrom(...FIELD_NAMES, 'iMid[]', 'amt[0]', ''), fc.string({ unit: 'binary-ascii', maxLength: 8 })),
      value: fc.oneof(nastyString.filter((s) => s.length < 500), fc.constantFrom('%', '%Z', '%E0%A4%A', '%%%', '+', '%2B', '&', '=')),
      raw: fc.boolean(),
      sep: fc.constantFrom('&', '&&', ';', '&amp;', '\n'),
    }),
    { maxLength: 25 },
  )
  .map((pairs) => pairs.map((p) => (p.raw ? `${p.key}=${p.value}` : `${encodeURIComponent(wellFormed(p.key))}=${encodeURIComponent(wellFormed(p.value))}`) + p.sep).join(''));

/** Invalid JSON: cut off, trailing commas, single quotes, comments, a BOM, duplicate keys, NaN. */
const brokenJson = fc.oneof(
  fc.tuple(fc.json({ maxDepth: 3 }), fc.nat()).map(([json, cut]) => json.slice(0, Math.max(0, json.length - 1 - (cut % Math.max(1, json.length))))).filter((s) => parseJson(s) === undefined),
  fc.constantFrom(
    '{"iMid":"IONPAYTEST",}', "{'iMid':'IONPAYTEST'}", '{"iMid":"IONPAYTEST" /* c */}', '\uFEFF{"iMid":"IONPAYTEST"}', '{"amt":NaN}', '{"amt":Infinity}',
    '{"iMid":"IONPAYTEST"', '{iMid:IONPAYTEST}', '{"a":"\u0000"}', '{"a":"\\uD800"}', '['.repeat(5000), '{"a":' + '['.repeat(20000) + ']'.repeat(20000) + '}',
    '{"iMid":"X","iMid":"IONPAYTEST"}', '1e999', '-', '"unterminated', '{"__proto__":{"iMid":"IONPAYTEST"}}', '{"constructor":{"prototype":{"iMid":1}}}',
  ),
);

const rawBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'binary-ascii', maxLength: 300 }),
  formString,
  brokenJson,
  fc.uint8Array({ maxLength: 1024 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    '<?xml version="1.0"?><request><iMid>IONPAYTEST</iMid></request>',
    '--x\r\nContent-Disposition: form-data; name="iMid"\r\n\r\nIONPAYTEST\r\n--x--\r\n',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    '', 'null', '[]', '""', 'true', '0',
  ),
);

const anyContentType: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined, '', 'text/plain', 'text/plain; charset=utf-8', 'application/xml', 'text/xml', 'multipart/form-data; boundary=x', 'multipart/form-data',
      'application/octet-stream', '*/*', 'json', 'application/ json', 'application/jsonx', 'application/x-www-form-urlencodedx', 'application/json;;;',
      'application/json; charset="', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; charset=ebcdic',
      'application/x-www-form-urlencoded; charset=iso-8859-1', 'application/x-www-form-urlencoded; charset=utf-16', ...JSON_TYPES, ...FORM_TYPES,
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }) },
);

type Encoding = 'none' | 'identity' | 'gzip' | 'deflate' | 'br' | 'gzip-garbage' | 'deflate-garbage' | 'br-garbage' | 'compress' | 'x-unknown' | 'gzip, gzip' | 'GZIP' | 'empty';
const anyEncoding = fc.constantFrom<Encoding>('none', 'none', 'none', 'none', 'identity', 'gzip', 'deflate', 'br', 'gzip-garbage', 'deflate-garbage', 'br-garbage', 'compress', 'x-unknown', 'gzip, gzip', 'GZIP', 'empty');

/** Applies a Content-Encoding: for real (the bytes are compressed), or only claimed (the bytes do not match). */
function encodeBody(body: Buffer, encoding: Encoding): { body: Buffer; header: string | undefined } {
  switch (encoding) {
    case 'none':
      return { body, header: undefined };
    case 'gzip':
      return { body: gzipSync(body), header: 'gzip' };
    case 'deflate':
      return { body: deflateSync(body), header: 'deflate' };
    case 'br':
      return { body: brotliCompressSync(body), header: 'br' };
    case 'gzip-garbage':
      return { body, header: 'gzip' };
    case 'deflate-garbage':
      return { body, header: 'deflate' };
    case 'br-garbage':
      return { body, header: 'br' };
    case 'empty':
      return { body, header: '' };
    default:
      return { body, header: encoding };
  }
}

const anyAccept = fc.option(fc.constantFrom('application/json', 'text/html', '*/*', 'application/json, text/html;q=0.9', 'APPLICATION/JSON', 'image/png', ''), { nil: undefined });

// ---------------------------------------------------------------------------------------------------------------
// Wallet callbacks.

const WALLETS = ['ovo', 'dana', 'shopeepay', 'linkaja', 'astrapay'] as const;
type Wallet = (typeof WALLETS)[number];
/** What a SNAP notify is signed with (every wallet's, WALLET-APIS.md), and where a client's identity rides. */
const SIGNATURE_HEADERS = ['x-timestamp', 'x-signature', 'x-partner-id', 'x-external-id', 'channel-id'];

/** Header values that look right (hex or base64 HMACs, fresh timestamps in each wallet's format) but are not. */
const plausibleHeaderValue: fc.Arbitrary<() => string> = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => () => Buffer.from(b).toString('hex')),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => () => Buffer.from(b).toString('base64')),
  fc.constantFrom(
    () => String(Date.now()),
    () => String(Math.floor(Date.now() / 1000)),
    () => new Date().toISOString(),
    () => String(Date.now() - 11 * 60_000),
    () => '',
    () => 'deadbeef',
    () => '0'.repeat(64),
    () => '1e13',
    () => '-1',
  ),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 80 }).map((s) => () => s.trim()),
);

const headerName = fc.oneof(fc.constantFrom(...SIGNATURE_HEADERS, 'X-SIGNATURE', 'authorization', 'x-forwarded-for'), fc.stringMatching(/^x-[a-z0-9-]{1,20}$/));

interface WalletPayment {
  readonly tXid: string;
  readonly amount: number;
  readonly status?: string;
}

interface SignOptions {
  /** When the callback claims it was made (ms since the epoch). */
  readonly at?: number;
  /** Sign with this secret instead of the wallet's. */
  readonly secret?: string;
}

let strangerKey: KeyObject | undefined;
/**
 * DANA's finish notify headers (SNAP): X-TIMESTAMP in Jakarta time, X-SIGNATURE = base64 SHA256withRSA of
 * `POST:/callbacks/dana:sha256hex(body):X-TIMESTAMP` with DANA's key (the sandbox's), or a stranger's when `wrongKey`.
 */
type SnapWallet = 'ovo' | 'dana' | 'shopeepay' | 'linkaja' | 'astrapay';
/** The SNAP wallets' notify keys (the sandbox's halves) and the merchant ids their notifies name. */
const snapNotifyKey: Record<SnapWallet, string> = {
  ovo: SANDBOX_OVO_PRIVATE_KEY,
  dana: SANDBOX_DANA_PRIVATE_KEY,
  shopeepay: SANDBOX_SHOPEEPAY_PRIVATE_KEY,
  linkaja: SANDBOX_LINKAJA_PRIVATE_KEY,
  astrapay: SANDBOX_ASTRAPAY_PRIVATE_KEY,
};
const snapMerchantId: Record<SnapWallet, string> = {
  ovo: 'sandbox-ovo-client',
  dana: 'sandbox-dana-merchant',
  shopeepay: 'sandbox-shopeepay-client',
  linkaja: 'sandbox-linkaja-client',
  astrapay: 'sandbox-astrapay-client',
};
function snapNotifyHeaders(wallet: SnapWallet, body: string, at: number, wrongKey = false): Record<string, string> {
  // OVO writes its times with milliseconds.
  const ts = `${new Date(at + 7 * 3600_000).toISOString().slice(0, wallet === 'ovo' ? 23 : 19)}+07:00`;
  strangerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const data = `POST:/callbacks/${wallet}:${createHash('sha256').update(body).digest('hex')}:${ts}`;
  return { 'x-timestamp': ts, 'x-signature': sign('sha256', Buffer.from(data), wrongKey ? strangerKey : snapNotifyKey[wallet]).toString('base64') };
}
const snapNotify = (wallet: SnapWallet, p: { tXid: string; amount: number; status?: string | undefined }): string =>
  JSON.stringify({
    originalPartnerReferenceNo: p.tXid,
    originalReferenceNo: `REF${randomUUID()}`,
    merchantId: snapMerchantId[wallet],
    amount: { value: `${p.amount}.00`, currency: 'IDR' },
    latestTransactionStatus: p.status ?? '00',
    createdTime: '2026-12-06T12:00:00+07:00',
    finishedTime: '2026-12-06T12:00:05+07:00',
  });

// ---------------------------------------------------------------------------------------------------------------
// Slow clients.

interface SlowSocket {
  readonly socket: Socket;
  readonly opened: number;
  /** Resolves when the server closes the connection: after how long, and what it sent first. */
  readonly closed: Promise<{ afterMs: number; data: string }>;
}

function slowClient(port: number, prelude: string): Promise<SlowSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const opened = Date.now();
    let data = '';
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1');
    });
    const closed = new Promise<{ afterMs: number; data: string }>((done) => socket.on('close', () => done({ afterMs: Date.now() - opened, data })));
    socket.once('error', () => undefined);
    socket.once('connect', () => {
      socket.write(prelude);
      resolve({ socket, opened, closed });
    });
    socket.once('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------------------------

describe('hostile input: random and malformed requests on every route (issue 15)', () => {
  const e2e = useE2eStack();
  const api = (path: string) => `${e2e.stack.apiUrl}${path}`;
  /** The operations listener (`/ops`, CONTRACT §1). */
  const ops = (path: string) => `${e2e.stack.opsUrl}${path}`;

  /** Four unpaid payments, one per redirect/push wallet, and one ACTIVE AstraPay account link: the targets. */
  const regs: Record<'OVOE' | 'DANA' | 'ESHP' | 'LINK', Reply> = { OVOE: {}, DANA: {}, ESHP: {}, LINK: {} };
  let mandateID = '';
  let baseline: Snapshot;

  interface Snapshot {
    readonly workflows: string[];
    readonly messages: Record<string, number>;
    readonly ledger: unknown;
    readonly notifications: number;
    readonly inquiries: Reply[];
    readonly operatorViews: unknown[];
    readonly link: Reply;
  }

  const regList = () => Object.values(regs);
  const stackClient = () => e2e.client;

  /** Signals and updates a workflow received (the only way the API changes one), counted from its history. */
  async function messagesOf(workflowId: string): Promise<number> {
    const history = await e2e.stack.env.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((ev) => ev.workflowExecutionSignaledEventAttributes || ev.workflowExecutionUpdateAcceptedEventAttributes || ev.workflowExecutionUpdateAdmittedEventAttributes).length;
  }

  async function snapshot(): Promise<Snapshot> {
    // The raw visibility API: memos stay encoded (the payload codec is not needed to list).
    const workflows: string[] = [];
    const service = e2e.stack.env.client.workflowService;
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await service.listWorkflowExecutions({ namespace: e2e.stack.env.namespace ?? 'default', pageSize: 1000, nextPageToken });
      for (const wf of page.executions) workflows.push(`${wf.type?.name ?? '?'} ${wf.execution?.workflowId ?? '?'} ${wf.execution?.runId ?? '?'} ${String(wf.status)}`);
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    workflows.sort();
    const messages: Record<string, number> = {};
    for (const line of workflows) {
      const [type, id] = line.split(' ');
      if (id && (type === 'paymentWorkflow' || type === 'accountLinkWorkflow')) messages[id] = await messagesOf(id);
    }
    const ledger = ((await (await fetch(`${e2e.stack.sandbox.baseUrl}/sandbox/ledger`)).json()) as { entries: unknown }).entries;
    const inquiries = await Promise.all(regList().map((reg) => stackClient().inquire(reg)));
    const auth = { authorization: `Bearer ${e2e.stack.config.operatorToken}` };
    const operatorViews = await Promise.all(regList().map(async (reg): Promise<unknown> => (await fetch(ops(`/ops/payments/${reg.tXid ?? ''}`), { headers: auth })).json()));
    const link = await stackClient().linkCall('linkInquiry', mandateID);
    return { workflows, messages, ledger, notifications: e2e.stack.merchant.notifications.length, inquiries, operatorViews, link };
  }

  before(async () => {
    const client = e2e.client;
    for (const mitraCd of ['OVOE', 'DANA', 'ESHP', 'LINK'] as const) {
      const reg = await client.register('081234567890', { mitraCd });
      assert.equal(reg.resultCd, '0000', reg.resultMsg);
      regs[mitraCd] = reg;
    }
    // A phone ending 000 registers its AstraPay link by itself.
    const link = await client.linkEnable('081234567000');
    assert.equal(link.resultCd, '0000', link.resultMsg);
    mandateID = link.mandateID ?? '';
    await waitFor(async () => (await client.linkCall('linkInquiry', mandateID)).linkStatus === 'ACTIVE', 'the account link ACTIVE');
    await waitFor(() => e2e.stack.merchant.forMandate(mandateID).length > 0, 'the link notification');
    baseline = await snapshot();
    realServerCheck = stallRealServer();
    realServerCheck.catch(() => undefined);
    assert.equal(baseline.inquiries.length, 4);
    for (const inquiry of baseline.inquiries) assert.deepEqual([inquiry.resultCd, inquiry.status], ['0000', '3']);
  });

  /**
   * The deliberate timeouts of the API's server (api/http-server.ts: headersTimeout 10 s, requestTimeout 30 s, checked
   * every second). The real entry point, api/server.ts, is started here against the stack's Temporal, and two stalled
   * clients are opened on it at once (one never finishes its headers, one sends headers and then nothing); the tests
   * near the end check that both were closed in time while the rest of the file ran: the first by Node with 408, the
   * second by the app itself with 9001 once its body is late (API_BODY_TIMEOUT_MS, api/read-body.ts).
   */
  let realServer: ChildProcess | undefined;
  let realServerCheck: Promise<{ afterMs: number; data: string } | undefined> = Promise.resolve(undefined);
  let realServerRequestCheck: Promise<{ afterMs: number; data: string } | undefined> = Promise.resolve(undefined);
  after(() => {
    realServer?.kill();
  });

  async function stallRealServer(): Promise<{ afterMs: number; data: string } | undefined> {
    const [port, opsPort] = [await freePort(), await freePort()];
    const root = fileURLToPath(new URL('../..', import.meta.url));
    realServer = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
      cwd: root,
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, API_PORT: String(port), API_HOST: '127.0.0.1', OPS_PORT: String(opsPort), TEMPORAL_ADDRESS: e2e.stack.env.address, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200, 'api/server.ts healthy', 20_000);
    const stalled = await slowClient(port, 'POST /nicepay/direct/v2/inquiry HTTP/1.1\r\nHost: x\r\nContent-Type: application/js');
    const silent = await slowClient(port, 'POST /nicepay/direct/v2/inquiry HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n');
    realServerRequestCheck = Promise.race([silent.closed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000).unref())]).finally(() => silent.socket.destroy());
    realServerRequestCheck.catch(() => undefined);
    // Meanwhile it answers others.
    const reply = await http({ method: 'POST', url: `http://127.0.0.1:${port}/nicepay/direct/v2/inquiry`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(e2e.client.inquiryFields(regs.OVOE)) });
    assert.equal((parseJson(reply.text) as Reply | undefined)?.status, '3', reply.text);
    const closed = await Promise.race([stalled.closed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000).unref())]);
    stalled.socket.destroy();
    return closed;
  }

  /** A valid, signed request for a route (the starting point of a mutation), aimed at the real payments and link. */
  function validBody(route: RouteName, pick: number): Body {
    const client = e2e.client;
    const reg = regList()[pick % 4] ?? regs.OVOE;
    switch (route) {
      case 'registration':
        // Sometimes the referenceNo of a registered payment: a refused request must not reach its workflow either.
        return { ...client.registrationFields('081234567890', { mitraCd: ['OVOE', 'DANA', 'ESHP', 'LINK'][pick % 4] ?? 'OVOE', ...(pick % 3 === 0 ? { referenceNo: reg.referenceNo ?? '' } : {}) }) };
      case 'paymentGet':
      case 'paymentPost':
        return { ...client.paymentFields(reg), ...(pick % 2 === 0 ? { returnJsonFormat: '1' } : {}) };
      case 'inquiry':
        return { ...client.inquiryFields(reg) };
      case 'cancel':
        return { ...client.cancelFields(reg, pick % 2 === 0 ? '1' : '2', pick % 2 === 0 ? 15000 : 5000) };
      case 'linkEnable':
        return { ...client.linkEnableFields(pick % 2 === 0 ? '081234567000' : '081234567890') };
      case 'linkInquiry':
      case 'linkDisable': {
        const timeStamp = nicepayTimestamp(new Date());
        return { timeStamp, iMid, mandateID, merchantToken: merchantToken(timeStamp, iMid, mandateID, merchantKey) };
      }
      case 'linkInitiate':
        return { ...client.linkInitiateFields(mandateID) };
    }
  }

  /** Sends a body to a route: JSON, a form, or (GET) a query string. */
  async function sendTo(route: Route, body: unknown, as: 'json' | 'form', typeIndex: number, accept?: string): Promise<{ answer: HttpAnswer; sent: string }> {
    if (route.method === 'GET') {
      const query = wireQuery(formEncode(body));
      const answer = await http({ method: 'GET', url: `${api(route.path)}?${query}`, headers: { accept } });
      return { answer, sent: `?${query}` };
    }
    const text = as === 'json' ? (JSON.stringify(body) ?? 'null') : formEncode(body);
    const contentType = as === 'json' ? JSON_TYPES[typeIndex % JSON_TYPES.length] : FORM_TYPES[typeIndex % FORM_TYPES.length];
    const answer = await http({ method: 'POST', url: api(route.path), headers: { 'content-type': contentType, accept }, body: text });
    return { answer, sent: `(${contentType}) ${text}` };
  }

  let requests = 0;
  after(() => {
    agent.destroy();
    const seen = [...refusals].sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code}×${n}`);
    console.log(`hostile-input: ${requests} hostile requests sent; NICEPAY refusals: ${seen.join(' ')}`);
  });

  describe('NICEPAY routes', () => {
    test('any JSON value or form as the body (random keys and values, arrays, scalars, unicode, NUL, long strings) → a contract refusal', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), anyBody, fc.constantFrom('json' as const, 'form' as const), fc.nat(), anyAccept, async (route, body, as, typeIndex, accept) => {
          requests++;
          const { answer, sent } = await sendTo(route, body, as, typeIndex, accept);
          assertNicepayRefusal(route, answer, sent);
        }),
        runs(800),
      );
    });

    test('a valid signed request with one field mutated (deleted, wrong type, empty, huge, unicode, affixed, added) and its token wrong → a contract refusal', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTES),
          fc.nat(),
          mutation,
          tokenBreak,
          fc.constantFrom('json' as const, 'form' as const),
          fc.nat(),
          anyAccept,
          async (route, pick, m, b, as, typeIndex, accept) => {
            requests++;
            const body = validBody(route.name, pick);
            // The token is broken first, so no mutation (a trimmed space, a number for a string) can make the request valid.
            breakToken(body, b);
            const what = mutate(body, m);
            const { answer, sent } = await sendTo(route, body, as, typeIndex, accept);
            assertNicepayRefusal(route, answer, `[${what}] ${sent}`);
          },
        ),
        runs(1200),
      );
    });

    test('random raw bodies (form strings, broken JSON, bytes, XML, multipart) under random content types and encodings, random query strings → a contract refusal', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTES),
          rawBody,
          anyContentType,
          anyEncoding,
          anyAccept,
          fc.option(formString, { nil: undefined }),
          async (route, raw, contentType, encoding, accept, query) => {
            requests++;
            const encoded = encodeBody(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'), encoding);
            const url = `${api(route.path)}${query !== undefined ? `?${wireQuery(query)}` : ''}`;
            const answer = await http({ method: route.method, url, headers: { 'content-type': contentType, 'content-encoding': encoded.header, accept }, body: encoded.body });
            const shown = Buffer.isBuffer(raw) ? `<${raw.length} bytes>` : raw;
            assertNicepayRefusal(route, answer, `${query !== undefined ? `?${query} ` : ''}(${String(contentType)}, ${encoding}) ${shown}`);
          },
        ),
        runs(800),
      );
    });

    test('bodies over the 64 kB limit (JSON, form, text, no type; Content-Length or chunked) → HTTP 200 with 9001', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...POST_ROUTES),
          fc.integer({ min: BODY_LIMIT + 1, max: 1024 * 1024 }),
          fc.constantFrom('application/json', 'Application/JSON', 'application/x-www-form-urlencoded', 'text/plain', undefined),
          fc.boolean(),
          async (route, size, contentType, chunked) => {
            requests++;
            const filler = `{"iMid":"IONPAYTEST","description":"${'x'.repeat(size)}"}`;
            const body = contentType?.includes('form') ? `iMid=IONPAYTEST&description=${'x'.repeat(size)}` : filler;
            const answer = await http({ method: 'POST', url: api(route.path), headers: { 'content-type': contentType }, body, chunked });
            const context = `${route.path} ${size} bytes (${String(contentType)}${chunked ? ', chunked' : ''}) → HTTP ${answer.status}: ${clip(answer.text)}`;
            assert.equal(answer.status, 200, context);
            const reply = parseJson(answer.text);
            assert.ok(isRecord(reply), context);
            assert.equal(reply.resultCd, '9001', context);
            assert.match(String(reply.resultMsg), contentType && /json|form/i.test(contentType) ? /too large/ : /Content-Type/, context);
          },
        ),
        runs(100),
      );
    });

    test('the limit is 64 kB exactly: 65,536 bytes are read (refused for their content), 65,537 are refused as too large', async () => {
      const client = e2e.client;
      const fields = client.registrationFields('081234567890');
      const make = (size: number) => {
        const json = JSON.stringify({ ...fields, description: '' });
        return JSON.stringify({ ...fields, description: 'x'.repeat(size - Buffer.byteLength(json)) });
      };
      for (const size of [BODY_LIMIT, BODY_LIMIT + 1]) {
        const body = make(size);
        assert.equal(Buffer.byteLength(body), size);
        const answer = await http({ method: 'POST', url: api('/nicepay/direct/v2/registration'), headers: { 'content-type': 'application/json' }, body });
        requests++;
        const reply = parseJson(answer.text);
        assert.ok(isRecord(reply));
        assert.deepEqual([answer.status, reply.resultCd], [200, '9001']);
        assert.match(String(reply.resultMsg), size === BODY_LIMIT ? /description/ : /too large/);
      }
    });

    test('a gzip bomb (10 MB of zeros in ~10 kB) is cut off at the limit → 9001 "too large", quickly', async () => {
      const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x30));
      for (const route of POST_ROUTES) {
        const started = Date.now();
        const answer = await http({ method: 'POST', url: api(route.path), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
        requests++;
        const reply = parseJson(answer.text);
        assert.ok(isRecord(reply), answer.text);
        assert.deepEqual([answer.status, reply.resultCd], [200, '9001'], route.path);
        assert.match(String(reply.resultMsg), /too large/);
        assert.ok(Date.now() - started < 2_000, `answered in ${Date.now() - started} ms`);
      }
    });

    test('a GET payment call whose request head exceeds Node\'s 16 kB header limit is refused by Node itself with 431 (not by the gateway)', async () => {
      const answer = await http({ method: 'GET', url: `${api('/nicepay/direct/v2/payment')}?tXid=${'A'.repeat(20_000)}` });
      requests++;
      assert.equal(answer.status, 431);
    });

    test('requests with wrong tokens aimed at the real payments and account link (cancel, payment, inquiry, link calls; tokens of another transaction) → 9010 or an earlier refusal', async () => {
      const targeted: readonly Route[] = ROUTES.filter((r) => ['paymentGet', 'paymentPost', 'inquiry', 'cancel', 'linkInquiry', 'linkDisable', 'linkInitiate'].includes(r.name));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...targeted),
          fc.nat(),
          fc.nat(),
          fc.oneof(tokenBreak, fc.constant('fromAnother' as const)),
          fc.constantFrom('json' as const, 'form' as const),
          fc.option(fc.constantFrom('1', '2'), { nil: undefined }),
          fc.option(fc.integer({ min: 1, max: 20000 }), { nil: undefined }),
          async (route, pick, other, b, as, cancelType, amt) => {
            requests++;
            const body = validBody(route.name, pick);
            if (cancelType !== undefined && route.name === 'cancel') body.cancelType = cancelType;
            if (amt !== undefined && (route.name === 'cancel' || route.name === 'inquiry')) body.amt = amt;
            if (b === 'fromAnother') {
              // A valid token of another transaction (or another call) with this one's tXid: still the wrong token.
              const donor = validBody(route.name, pick + 1 + (other % 3));
              body.merchantToken = donor.merchantToken === body.merchantToken ? '0'.repeat(64) : donor.merchantToken;
              if (route.name === 'linkInquiry' || route.name === 'linkDisable') body.merchantToken = merchantToken(String(body.timeStamp), iMid, `${mandateID}0`, merchantKey);
            } else {
              breakToken(body, b);
            }
            const { answer, sent } = await sendTo(route, body, as, pick);
            assertNicepayRefusal(route, answer, sent);
          },
        ),
        runs(400),
      );
    });
  });

  describe('wallet callbacks', () => {
    /** A callback the wallet could have sent, signed (by default) with the wallet's real secret. */
    function signedCallback(wallet: Wallet, p: WalletPayment, o: SignOptions = {}): { headers: Record<string, string>; body: string } {
      const at = o.at ?? Date.now();
      switch (wallet) {
        case 'ovo':
        case 'dana':
        case 'shopeepay':
        case 'linkaja':
        case 'astrapay': {
          const body = snapNotify(wallet, p);
          return { headers: { 'content-type': 'application/json', ...snapNotifyHeaders(wallet, body, at, o.secret !== undefined) }, body };
        }
      }
    }

    /** Signs any raw body the way the wallet signs its callbacks. */
    function signRaw(wallet: Wallet, body: string): Record<string, string> {
      const now = Date.now();
      switch (wallet) {
        case 'ovo':
        case 'dana':
        case 'shopeepay':
        case 'linkaja':
        case 'astrapay':
          return snapNotifyHeaders(wallet, body, now);
      }
    }

    /** Each wallet's word for a payment still pending. */
    const pendingStatus: Record<Wallet, string> = { ovo: '01', dana: '01', shopeepay: '01', linkaja: '01', astrapay: '01' };

    const walletOf: Record<Wallet, keyof typeof regs | undefined> = { ovo: 'OVOE', dana: 'DANA', shopeepay: 'ESHP', linkaja: 'LINK', astrapay: undefined };

    function assertCallbackRefusal(answer: HttpAnswer, context: string, expected?: number | readonly number[]): void {
      const shown = `${context}\n→ HTTP ${answer.status}: ${clip(answer.text)}`;
      if (typeof expected === 'number') assert.equal(answer.status, expected, shown);
      else if (expected) assert.ok(expected.includes(answer.status), `one of ${expected.join(', ')}: ${shown}`);
      assert.ok(CALLBACK_REFUSALS.has(answer.status), `400, 401, 404, 413, 415 or 422 (never 2xx, never 5xx): ${shown}`);
      const body = parseJson(answer.text);
      assert.ok(isRecord(body) && typeof body.error === 'string', `a JSON {error}: ${shown}`);
    }

    test('random bodies (any size), headers (signature headers that look right but are not), content types, encodings and paths → a refusal; never 2xx, never 5xx', async () => {
      const provider = fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom<string>(...WALLETS).map((w) => ({ path: w, malformed: false })) },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom('OVO', 'nicepay', '__proto__', 'constructor', ''), fc.webSegment()).map((w) => ({ path: encodeURIComponent(w), malformed: false })) },
        { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_ESCAPES).map((w) => ({ path: w, malformed: true })) },
      );
      await fc.assert(
        fc.asyncProperty(
          provider,
          fc.oneof(anyBody.map((b) => JSON.stringify(b) ?? 'null'), rawBody, formString),
          fc.dictionary(headerName, plausibleHeaderValue, { maxKeys: 6 }),
          anyContentType,
          anyEncoding,
          async (to, raw, headerMakers, contentType, encoding) => {
            requests++;
            const encoded = encodeBody(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'), encoding);
            const headers: Record<string, string | undefined> = { 'content-type': contentType, 'content-encoding': encoded.header };
            for (const [name, make] of Object.entries(headerMakers)) headers[name.toLowerCase()] = make();
            const answer = await http({ method: 'POST', url: api(`/callbacks/${to.path}`), headers, body: encoded.body });
            const context = `POST /callbacks/${to.path} ${JSON.stringify(headers)} (${encoding}) ${Buffer.isBuffer(raw) ? `<${raw.length} bytes>` : clip(raw)}`;
            // Exact where the request says it all: a malformed path, or a plain body over the limit.
            const expected = to.malformed ? 400 : encoding === 'none' && encoded.body.length > BODY_LIMIT && WALLETS.some((w) => w === to.path) ? 413 : undefined;
            assertCallbackRefusal(answer, context, expected);
          },
        ),
        runs(600),
      );
    });

    test('bodies over the 64 kB limit (any wallet, any type, Content-Length or chunked) → 413', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...WALLETS), fc.integer({ min: BODY_LIMIT + 1, max: 1024 * 1024 }), anyContentType, fc.boolean(), async (wallet, size, contentType, chunked) => {
          requests++;
          const body = `{"merchantInvoice":"${regs.OVOE.tXid ?? ''}","pad":"${'x'.repeat(size)}"}`;
          const answer = await http({ method: 'POST', url: api(`/callbacks/${wallet}`), headers: { 'content-type': contentType }, body, chunked });
          assertCallbackRefusal(answer, `POST /callbacks/${wallet} ${size} bytes (${String(contentType)}${chunked ? ', chunked' : ''})`, 413);
        }),
        runs(60),
      );
    });

    test('correctly signed but wrong callbacks: garbage → 400, unknown or another wallet\'s transaction → 404, wrong amount → 422, stale or wrongly keyed → 401', async () => {
      type Kind = 'garbage' | 'unknownTx' | 'otherWallet' | 'wrongAmount' | 'stale' | 'wrongSecret' | 'unknownLink';
      const unknownTxId = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.uuid().map((u) => newTxId(iMid, u, new Date())),
        fc.uuid().map((u) => newTxId('SHOPTEST01', u, new Date())),
        fc.constantFrom('', ' ', '\u0000', 'IONPAYTEST05', 'payment-', '../', '%2F'),
        fc.integer({ min: 100, max: 2_000 }).map((n) => 'T'.repeat(n)),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Wallet>(...WALLETS),
          fc.constantFrom<Kind>('garbage', 'unknownTx', 'otherWallet', 'wrongAmount', 'stale', 'wrongSecret', 'unknownLink'),
          unknownTxId,
          fc.integer({ min: -1_000_000, max: 10_000_000_000 }).filter((n) => n !== 15000),
          fc.nat(),
          // Within the limit (a larger body is 413 before anything is read: its own property above).
          fc.oneof(anyBody.map((b) => JSON.stringify(b) ?? 'null'), brokenJson, formString).filter((b) => Buffer.byteLength(b) <= BODY_LIMIT),
          async (wallet, kind, unknownTx, amount, pick, garbage) => {
            requests++;
            const own = walletOf[wallet];
            const others = (Object.keys(regs) as (keyof typeof regs)[]).filter((m) => m !== own);
            const otherTx = regs[others[pick % others.length] ?? 'OVOE'].tXid ?? '';
            const ownTx = own ? (regs[own].tXid ?? '') : otherTx;
            let call: { headers: Record<string, string>; body: string };
            let expected: number | readonly number[];
            switch (kind) {
              case 'garbage':
                call = { headers: { 'content-type': 'application/json', ...signRaw(wallet, garbage) }, body: garbage };
                expected = 400;
                break;
              case 'unknownTx':
                call = signedCallback(wallet, { tXid: unknownTx, amount: 15000 });
                expected = 404;
                break;
              case 'otherWallet':
                call = signedCallback(wallet, { tXid: otherTx, amount: 15000 });
                expected = 404;
                break;
              case 'wrongAmount':
                call = signedCallback(wallet, { tXid: ownTx, amount });
                // AstraPay has no payment of its own here: its callbacks for another wallet's payment are unknown.
                // The SNAP wallets' amount is a decimal string: a negative one does not parse.
                expected = amount < 0 ? 400 : own ? 422 : 404;
                break;
              case 'stale':
                call = signedCallback(wallet, { tXid: ownTx, amount }, { at: Date.now() - 11 * 60_000 });
                expected = 401;
                break;
              case 'wrongSecret':
                call = signedCallback(wallet, { tXid: ownTx, amount: 15000 }, { secret: `not-the-${wallet}-secret` });
                expected = 401;
                break;
              case 'unknownLink': {
                if (wallet !== 'astrapay') {
                  call = signedCallback(wallet, { tXid: unknownTx, amount: 15000, status: pendingStatus[wallet] });
                  expected = 404;
                  break;
                }
                // A binding notify for a mandate that does not exist (random link keys never meet the real one).
                const key = createHash('sha256').update(unknownTx).digest('hex').slice(0, 16).toUpperCase();
                const partnerReferenceNo = pick % 2 === 0 ? `M${key}001` : unknownTx;
                const body = JSON.stringify({ partnerReferenceNo, referenceNo: `L${pick}`, additionalInfo: { mitraCd: 'ASTR', bindingStatus: 'FAILED', reason: 'x' } });
                call = { headers: { 'content-type': 'application/json', ...snapNotifyHeaders('astrapay', body, Date.now()) }, body };
                expected = 404;
                break;
              }
            }
            const answer = await http({ method: 'POST', url: api(`/callbacks/${wallet}`), headers: call.headers, body: call.body });
            assertCallbackRefusal(answer, `[${kind}] POST /callbacks/${wallet} ${JSON.stringify(call.headers)} ${clip(call.body)}`, expected);
          },
        ),
        runs(500),
      );
    });

    // Found by this suite: these answered 503 "temporarily unavailable, retry" (the callback router's error handler
    // took body-parser's and the router's 4xx errors for an outage), telling the wallet to retry what can never succeed.
    test('an oversized callback body → 413; a Content-Encoding the bytes do not match → 400, an unknown one → 415; a malformed path → 400', async () => {
      for (const wallet of WALLETS) {
        const oversized = await http({ method: 'POST', url: api(`/callbacks/${wallet}`), headers: { 'content-type': 'application/json' }, body: `{"a":"${'x'.repeat(BODY_LIMIT)}"}` });
        assertCallbackRefusal(oversized, `/callbacks/${wallet}, 64 kB + 8 bytes`, 413);
        for (const [encoding, status] of [['gzip', 400], ['deflate', 400], ['br', 400], ['compress', 415]] as const) {
          const answer = await http({ method: 'POST', url: api(`/callbacks/${wallet}`), headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: '{}' });
          assertCallbackRefusal(answer, `/callbacks/${wallet} with Content-Encoding ${encoding}`, status);
        }
        requests += 5;
      }
      for (const escape of MALFORMED_ESCAPES) {
        const answer = await http({ method: 'POST', url: api(`/callbacks/${escape}`), headers: { 'content-type': 'application/json' }, body: '{}' });
        requests++;
        assertCallbackRefusal(answer, `/callbacks/${escape}`, 400);
      }
    });
  });

  describe('operator API', () => {
    test('GET /ops/payments/:tXid with random tXids, malformed paths and Authorization headers: 401 without the operator token; with it 200 for the real ones, 404 for unknown, 400 for a malformed path', async () => {
      const token = () => e2e.stack.config.operatorToken;
      const authArb: fc.Arbitrary<(t: string) => string | undefined> = fc.oneof(
        fc.constantFrom(
          (t: string) => `Bearer ${t}`,
          (t: string) => `bearer ${t}`,
          (t: string) => `Bearer  ${t}`,
          (t: string) => `Bearer ${t} `,
          (t: string) => `Bearer ${t}x`,
          (t: string) => `Bearer ${t.slice(0, -1)}`,
          (t: string) => t,
          (t: string) => `Basic ${Buffer.from(`operator:${t}`).toString('base64')}`,
          () => undefined,
          () => '',
          () => 'Bearer ',
        ),
        fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 }).map((s) => () => s.trim()),
      );
      const tXidArb = fc.oneof(
        fc.constantFrom(...regList().map((r) => r.tXid ?? '')),
        fc.uuid().map((u) => newTxId(iMid, u, new Date())),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
        fc.constantFrom('..', '.', '%', '%E0', "'; DROP TABLE payments; --", '__proto__', 'payment-'),
        fc.integer({ min: 31, max: 4_000 }).map((n) => 'A'.repeat(n)),
      );
      // A tXid, percent-encoded; or a path segment with an escape no decoder accepts (`tXid` undefined).
      const segment: fc.Arbitrary<{ tXid: string | undefined; path: string }> = fc.oneof(
        { weight: 9, arbitrary: tXidArb.map((tXid) => ({ tXid, path: encodeURIComponent(tXid) })) },
        { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_ESCAPES).map((path) => ({ tXid: undefined, path })) },
      );
      const known = new Map(regList().map((r, i) => [r.tXid ?? '', baseline.operatorViews[i]]));
      await fc.assert(
        fc.asyncProperty(segment, authArb, fc.constantFrom('', '/notifications'), async ({ tXid, path }, auth, sub) => {
          requests++;
          const authorization = auth(token());
          const answer = await http({ method: 'GET', url: ops(`/ops/payments/${path}${sub}`), headers: { authorization } });
          const context = `GET /ops/payments/${path}${sub} (Authorization: ${String(authorization)}) → HTTP ${answer.status}: ${clip(answer.text)}`;
          const body = parseJson(answer.text);
          assert.ok(isRecord(body), context);
          // HTTP trims the whitespace around a header value: `Bearer <token> ` is the operator token.
          if (authorization?.trim() !== `Bearer ${token()}`) {
            assert.equal(answer.status, 401, context);
            assert.equal(answer.headers['www-authenticate'], 'Bearer', context);
            return;
          }
          if (tXid === undefined) {
            assert.equal(answer.status, 400, context);
            assert.equal(typeof body.error, 'string', context);
          } else if (known.has(tXid)) {
            assert.equal(answer.status, 200, context);
            if (sub === '') assert.deepEqual(body, known.get(tXid), context);
          } else {
            // 8004 from the route; a tXid of `.` or `..` is resolved away by the URL, leaving an unknown path.
            assert.equal(answer.status, 404, context);
            assert.ok(body.resultCd === '8004' || (['.', '..'].includes(tXid) && body.error === 'not found'), context);
          }
        }),
        runs(300),
      );
    });

    test('POST …/notifications/resend without the operator token → 401, and nothing is sent', async () => {
      for (const reg of regList()) {
        for (const authorization of [undefined, 'Bearer wrong', `Bearer ${e2e.stack.config.operatorToken}x`]) {
          const answer = await http({ method: 'POST', url: ops(`/ops/payments/${reg.tXid ?? ''}/notifications/resend`), headers: { authorization } });
          requests++;
          assert.equal(answer.status, 401, answer.text);
        }
      }
    });
  });

  describe('slow clients', () => {
    test('clients that send headers and then nothing, or stop halfway through their headers or body, do not hold up anyone else', async () => {
      const port = Number(new URL(e2e.stack.apiUrl).port);
      const body = JSON.stringify(e2e.client.inquiryFields(regs.OVOE));
      const preludes = [
        // Complete headers, then no body at all.
        `POST /nicepay/direct/v2/inquiry HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        // Half the body.
        `POST /nicepay/direct/v2/cancel HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, body.length / 2)}`,
        // Chunked, one chunk, never the last one.
        `POST /nicepay/direct/v2/registration HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"iMi\r\n`,
        // Headers never finished.
        'POST /callbacks/ovo HTTP/1.1\r\nHost: x\r\nContent-Type: appli',
        'GET /nicepay/direct/v2/payment?tXid=',
      ];
      const slow = await Promise.all(Array.from({ length: 40 }, (_, i) => slowClient(port, preludes[i % preludes.length] ?? '')));
      try {
        // The API keeps answering everyone else at once.
        const started = Date.now();
        const answers = await Promise.all(Array.from({ length: 10 }, () => e2e.client.inquire(regs.OVOE)));
        for (const answer of answers) assert.deepEqual([answer.resultCd, answer.status], ['0000', '3']);
        assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms beside 40 slow clients`);
        requests += slow.length;
      } finally {
        // Clients that give up half-way (the server sees an aborted request) break nothing either.
        for (const s of slow) s.socket.destroy();
      }
      const after = await e2e.client.inquire(regs.OVOE);
      assert.deepEqual([after.resultCd, after.status], ['0000', '3']);
    });

    test('api/server.ts closes a client that never finishes its headers with 408 (headersTimeout 10 s)', async (t) => {
      const closed = await realServerCheck;
      t.diagnostic(`closed after ${closed?.afterMs ?? '-'} ms`);
      assert.ok(closed, 'the stalled connection to api/server.ts was still open after 30 s');
      assert.ok(closed.afterMs >= 9_000 && closed.afterMs <= 13_000, `closed after ${closed.afterMs} ms`);
      assert.match(closed.data, /^HTTP\/1\.1 408 /, `answered ${JSON.stringify(closed.data.slice(0, 80))}`);
    });

    test('api/server.ts answers a client that sends its headers and then no body with 9001 (API_BODY_TIMEOUT_MS 5 s) and closes it', { timeout: 90_000 }, async (t) => {
      const closed = await realServerRequestCheck;
      t.diagnostic(`closed after ${closed?.afterMs ?? '-'} ms`);
      assert.ok(closed, 'the silent connection to api/server.ts was still open after 60 s');
      // The gateway's own answer (issue 22), not Node's 408 at its 30 s requestTimeout.
      assert.match(closed.data, /^HTTP\/1\.1 200 /, `answered ${JSON.stringify(closed.data.slice(0, 80))}`);
      assert.match(closed.data, /\r\nconnection: close\r\n/i);
      assert.ok(closed.data.endsWith('{"resultCd":"9001","resultMsg":"Malformed request: request body not received within 5 s"}'), closed.data);
    });
  });

  test('nothing changed: no workflow started, no signal or update received, ledger, notifications, inquiries, link and operator views as before', async () => {
    const now = await snapshot();
    assert.deepEqual(now.workflows, baseline.workflows, 'the same workflows, in the same states');
    assert.deepEqual(now.messages, baseline.messages, 'no signal or update reached any payment or link');
    assert.deepEqual(now.ledger, baseline.ledger, 'the sandbox ledger');
    assert.equal(now.notifications, baseline.notifications, 'no notification to the merchant');
    assert.deepEqual(now.inquiries, baseline.inquiries, 'inquiries');
    assert.deepEqual(now.operatorViews, baseline.operatorViews, 'operator views');
    assert.deepEqual(now.link, baseline.link, 'the account link (still ACTIVE)');
    assert.equal(now.link.linkStatus, 'ACTIVE');
    assert.ok(requests > 0);
  });
});
