/**
 * Test helpers for the redirect wallets of the sandbox (DANA, ShopeePay, LinkAja): a stand-in for the gateway's
 * `/callbacks/<wallet>` endpoints that checks each wallet's callback signature with its own code (it is the other
 * party, so nothing here imports the sandbox's signing code), API clients that authenticate the way the gateway's
 * adapters must, a cookie-keeping "browser" for the checkout pages, and one driver per wallet that lets the shared
 * scenarios (sandbox-redirect-suite.ts) speak each wallet's API.
 */
import { createHash, createHmac, createPublicKey, randomInt, sign as rsaSign, timingSafeEqual, verify as rsaVerify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import type { ApiReply, TestSandbox } from './sandbox-harness.js';

export type RedirectWalletName = 'DANA' | 'SHOPEEPAY' | 'LINKAJA';

/** DANA signs its notifies with its RSA key (verified with the gateway's copy of its public key); the others with HMAC secrets. */
export const callbackSecrets: Record<RedirectWalletName, string> = {
  DANA: sandboxSecrets.DANA_PUBLIC_KEY,
  SHOPEEPAY: 'sandbox-shopeepay-callback-secret',
  LINKAJA: 'sandbox-linkaja-callback-secret',
};

const hmac = (secret: string, data: string, encoding: 'hex' | 'base64'): string => createHmac('sha256', secret).update(data).digest(encoding);
const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

// ---- the gateway's callback endpoints ---------------------------------------------------------------------------

export interface RedirectCallback {
  readonly wallet: RedirectWalletName;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The JSON body (DANA, ShopeePay) or the form fields (LinkAja). */
  readonly fields: Record<string, unknown>;
  /** The gateway's tXid the callback is about. */
  readonly ref: string;
  /** The wallet's status, as a string (`SUCCESS`, `1`, `PAID`, …). */
  readonly status: string;
  readonly signatureValid: boolean;
}

export interface RedirectGateway {
  readonly baseUrl: string;
  readonly received: RedirectCallback[];
  /** HTTP statuses for the next callbacks, in order; afterwards 200. */
  respondWith(...statuses: number[]): void;
  forRef(tXid: string): RedirectCallback[];
  close(): Promise<void>;
}

function verify(wallet: RedirectWalletName, headers: IncomingHttpHeaders, rawBody: string): Omit<RedirectCallback, 'wallet' | 'headers' | 'rawBody'> {
  const secret = callbackSecrets[wallet];
  const header = (name: string): string => String(headers[name] ?? '');
  if (wallet === 'LINKAJA') {
    const f = Object.fromEntries(new URLSearchParams(rawBody));
    const expected = hmac(secret, `${f.trxId}|${f.refNum}|${f.total}|${f.status}|${f.eventTime}`, 'hex');
    const form = header('content-type').startsWith('application/x-www-form-urlencoded');
    return { fields: f, ref: f.trxId ?? '', status: f.status ?? '', signatureValid: form && same(f.signature ?? '', expected) };
  }
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(rawBody) as Record<string, unknown>;
  } catch {
    /* recorded as {} */
  }
  if (wallet === 'DANA') {
    // SNAP asymmetric: SHA256withRSA over `POST:/callbacks/dana:sha256hex(minified body):X-TIMESTAMP`, DANA's key.
    const timestamp = header('x-timestamp');
    const fresh = /\+07:00$/.test(timestamp) && Math.abs(Date.now() - Date.parse(timestamp)) < 60_000;
    const valid = fresh && danaSigned(secret, `POST:/callbacks/dana:${sha256hex(rawBody)}:${timestamp}`, header('x-signature'));
    return { fields, ref: String(fields.originalPartnerReferenceNo), status: String(fields.latestTransactionStatus), signatureValid: valid };
  }
  const valid = same(header('x-airpay-req-h'), hmac(secret, rawBody, 'base64'));
  return { fields, ref: String(fields.payment_reference_id), status: String(fields.payment_status), signatureValid: valid };
}

const walletOfPath: Record<string, RedirectWalletName> = { '/callbacks/dana': 'DANA', '/callbacks/shopeepay': 'SHOPEEPAY', '/callbacks/linkaja': 'LINKAJA' };

/** Answers 401 to a callback whose signature does not verify, 404 to other paths, else 200 (or what `respondWith` queued). */
export async function startRedirectGateway(): Promise<RedirectGateway> {
  const received: RedirectCallback[] = [];
  const queued: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const wallet = walletOfPath[req.url ?? ''];
      if (wallet === undefined || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const callback: RedirectCallback = { wallet, headers: req.headers, rawBody, ...verify(wallet, req.headers, rawBody) };
      received.push(callback);
      const status = callback.signatureValid ? (queued.shift() ?? 200) : 401;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    respondWith: (...statuses) => queued.push(...statuses),
    forRef: (tXid) => received.filter((r) => r.ref === tXid),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- API clients ------------------------------------------------------------------------------------------------

async function reply(response: Response): Promise<ApiReply> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body, headers: response.headers };
}

const sha256hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

function danaSigned(publicKeyPem: string, data: string, signature: string): boolean {
  try {
    return rsaVerify('sha256', Buffer.from(data, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Jakarta time as DANA writes it: `2026-12-06T12:00:00+07:00`. */
export function jakartaTimestamp(at: number = Date.now()): string {
  return `${new Date(at + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

export interface DanaCallOptions {
  readonly rawBody?: string;
  /** `false`: no signature headers at all (X-TIMESTAMP, X-SIGNATURE). */
  readonly sign?: boolean;
  readonly timestamp?: string;
  /** Another PEM private key to sign with (the sandbox trusts only the gateway's sandbox key). */
  readonly privateKey?: string;
  readonly partnerId?: string;
  /** The path the signature covers (default: the published path, without `/dana`). */
  readonly signedPath?: string;
  /** Default: a fresh one per call. */
  readonly externalId?: string;
  /** Headers to leave out (e.g. `X-EXTERNAL-ID`). */
  readonly omitHeaders?: readonly string[];
}

export const DANA_API = '/payment-gateway/v1.0/debit';

/**
 * DANA's Payment Gateway the way the gateway's adapter must call it (SNAP asymmetric): base64 SHA256withRSA with the
 * partner's key over `POST:<published path>:sha256hex(minified body):X-TIMESTAMP`, written here from the published
 * format with `node:crypto` alone.
 */
export class DanaTestClient {
  constructor(
    readonly baseUrl: string,
    readonly partnerId = sandboxSecrets.DANA_PARTNER_ID,
    readonly privateKey = sandboxSecrets.DANA_PRIVATE_KEY,
    readonly merchantId = sandboxSecrets.DANA_MERCHANT_ID,
  ) {}

  /** POSTs `body` (minified JSON) to `/dana/payment-gateway/v1.0/debit${path}` (`/status.htm`, …). */
  async call(path: string, body: unknown, options: DanaCallOptions = {}): Promise<ApiReply> {
    const published = `${DANA_API}${path}`;
    const rawBody = options.rawBody ?? JSON.stringify(body);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-PARTNER-ID': options.partnerId ?? this.partnerId,
      'X-EXTERNAL-ID': options.externalId ?? String(randomInt(1e9, 1e10 - 1)) + String(Date.now()),
      'CHANNEL-ID': '95221',
      ORIGIN: 'http://merchant.example',
    };
    if (options.sign !== false) {
      const timestamp = options.timestamp ?? jakartaTimestamp();
      let minified = rawBody;
      try {
        minified = JSON.stringify(JSON.parse(rawBody));
      } catch {
        // signed as sent
      }
      headers['X-TIMESTAMP'] = timestamp;
      headers['X-SIGNATURE'] = rsaSign('sha256', Buffer.from(`POST:${options.signedPath ?? published}:${sha256hex(minified)}:${timestamp}`, 'utf8'), options.privateKey ?? this.privateKey).toString('base64');
    }
    for (const name of options.omitHeaders ?? []) delete headers[name];
    return reply(await fetch(`${this.baseUrl}/dana${published}`, { method: 'POST', headers, body: rawBody }));
  }

  /** A create body as the gateway sends it (override any field). */
  order(input: { tXid: string; phone: string; amount?: number; title?: string; returnUrl?: string; notifyUrl?: string; validUpTo?: Date }): Record<string, unknown> {
    return {
      partnerReferenceNo: input.tXid,
      merchantId: this.merchantId,
      amount: { value: `${input.amount ?? 15000}.00`, currency: 'IDR' },
      validUpTo: jakartaTimestamp((input.validUpTo ?? new Date(Date.now() + 900_000)).getTime()),
      urlParams: [
        { url: input.returnUrl ?? 'http://merchant.example/return', type: 'PAY_RETURN', isDeeplink: 'N' },
        ...(input.notifyUrl !== undefined ? [{ url: input.notifyUrl, type: 'NOTIFICATION', isDeeplink: 'N' }] : []),
      ],
      additionalInfo: {
        mcc: '5999',
        envInfo: { sourcePlatform: 'IPG', terminalType: 'SYSTEM' },
        order: { orderTitle: input.title ?? 'Kopi susu x2', scenario: 'REDIRECT', buyer: { externalUserType: 'PHONE', externalUserId: input.phone } },
      },
    };
  }
}

/** ShopeePay's API: `X-Airpay-ClientId` and `X-Airpay-Req-H` = base64 HMAC of the body; a fresh `request_id` each call. */
export class ShopeePayTestClient {
  #requests = 0;
  constructor(
    readonly baseUrl: string,
    readonly clientId = 'sandbox-shopeepay-client',
    readonly clientSecret = 'sandbox-shopeepay-secret-change-me',
  ) {}

  /** POSTs `fields` plus a `request_id` to `/shopeepay/v3/merchant-host${path}`. */
  async call(path: string, fields: Record<string, unknown>, options: { rawBody?: string; sign?: boolean; secret?: string; clientId?: string } = {}): Promise<ApiReply> {
    const rawBody = options.rawBody ?? JSON.stringify({ request_id: `req-${Date.now()}-${++this.#requests}`, ...fields });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (options.sign !== false) {
      headers['X-Airpay-ClientId'] = options.clientId ?? this.clientId;
      headers['X-Airpay-Req-H'] = hmac(options.secret ?? this.clientSecret, rawBody, 'base64');
    }
    return reply(await fetch(`${this.baseUrl}/shopeepay/v3/merchant-host${path}`, { method: 'POST', headers, body: rawBody }));
  }
}

/** LinkAja's API: an OAuth2 client-credentials token, then form bodies with `Authorization: Bearer …`. */
export class LinkAjaTestClient {
  #token: string | undefined;
  constructor(
    readonly baseUrl: string,
    readonly clientId = 'sandbox-linkaja-client',
    readonly clientSecret = 'sandbox-linkaja-secret-change-me',
  ) {}

  async requestToken(form: Record<string, string> = { grant_type: 'client_credentials', client_id: this.clientId, client_secret: this.clientSecret }): Promise<ApiReply> {
    return reply(await fetch(`${this.baseUrl}/linkaja/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) }));
  }

  async token(): Promise<string> {
    if (this.#token === undefined) {
      const answer = await this.requestToken();
      if (answer.status !== 200) throw new Error(`LinkAja token: HTTP ${answer.status}`);
      this.#token = String(answer.body.access_token);
    }
    return this.#token;
  }

  /** Calls `/linkaja/api/v1${path}`; `token: null` sends no Authorization header. */
  async call(method: 'GET' | 'POST', path: string, form?: Record<string, string>, options: { token?: string | null } = {}): Promise<ApiReply> {
    const token = options.token === undefined ? await this.token() : options.token;
    const headers: Record<string, string> = { ...(token !== null ? { Authorization: `Bearer ${token}` } : {}) };
    if (form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return reply(await fetch(`${this.baseUrl}/linkaja/api/v1${path}`, { method, headers, ...(form !== undefined ? { body: new URLSearchParams(form) } : {}) }));
  }
}

// ---- a browser for the checkout pages ---------------------------------------------------------------------------

export interface PageReply {
  readonly status: number;
  readonly html: string;
  /** The `Location` of a redirect, as sent. */
  readonly location: string;
}

/** Plain HTTP with a cookie jar that honours cookie paths, as a browser does; redirects are not followed. */
export class CheckoutBrowser {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  async get(url: string): Promise<PageReply> {
    return this.#request(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string> = {}): Promise<PageReply> {
    return this.#request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  }

  async #request(url: string, init: RequestInit): Promise<PageReply> {
    const path = new URL(url).pathname;
    const cookie = [...this.#cookies.values()]
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), ...(cookie !== '' ? { Cookie: cookie } : {}) } });
    for (const set of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = set.split(';');
      const eq = pair.indexOf('=');
      const cookiePath = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const name = pair.slice(0, eq).trim();
      this.#cookies.set(`${name}|${cookiePath}`, { name, value: pair.slice(eq + 1).trim(), path: cookiePath });
    }
    return { status: response.status, html: await response.text(), location: response.headers.get('location') ?? '' };
  }
}

// ---- one driver per wallet --------------------------------------------------------------------------------------

export interface CreateInput {
  readonly tXid: string;
  readonly phone: string;
  /** Integer rupiah; default 15000. */
  readonly amount?: number;
  readonly merchantName?: string;
  readonly description?: string;
  readonly returnUrl?: string;
  /** LinkAja only; default `returnUrl`. */
  readonly failedUrl?: string;
  /** The merchant's deadline (DANA, ShopeePay); default 900 s from the call. LinkAja is always sent `expiredSeconds=900`. */
  readonly expiresAt?: Date;
}

export interface Created {
  readonly reply: ApiReply;
  readonly ok: boolean;
  readonly walletRef: string;
  readonly checkoutUrl: string;
}

/** A payment as the wallet's status API reports it, in its own words. */
export interface WalletView {
  readonly reply: ApiReply;
  readonly found: boolean;
  readonly status: string;
  readonly reason?: string;
  /** Rupiah. */
  readonly amount: number;
  readonly refunded: number;
}

/** `not-allowed`: the wallet's "refund not allowed" answer (magic 008). */
export type RefundOutcome = 'ok' | 'not-paid' | 'not-allowed' | 'exceeds' | 'not-found' | 'other';

/** The outcome whose documented HTTP status and code the answer carries exactly; `other` for anything else. */
function refundOutcomeOf(reply: ApiReply, code: unknown, table: ReadonlyArray<readonly [RefundOutcome, number, unknown]>): RefundOutcome {
  return table.find(([, http, c]) => http === reply.status && c === code)?.[0] ?? 'other';
}

/** What the shared scenarios need from a wallet: its calls and its words for the same states. */
export interface RedirectWalletDriver {
  readonly wallet: RedirectWalletName;
  /** URL prefix: `/dana`, … */
  readonly key: string;
  /** The wallet's status names (status API). */
  readonly statuses: { readonly pending: string; readonly paid: string; readonly failed: string; readonly cancelled: string; readonly voided: string; readonly expired: string; readonly refunded: string };
  /** The wallet's status names in callbacks. */
  readonly callbackStatuses: { readonly paid: string; readonly failed: string; readonly cancelled: string; readonly pending: string };
  create(input: CreateInput): Promise<Created>;
  view(tXid: string): Promise<WalletView>;
  /** `refused`: the documented "already paid" answer. */
  void(tXid: string): Promise<{ readonly reply: ApiReply; readonly outcome: 'ok' | 'refused' | 'other'; readonly status?: string }>;
  refund(tXid: string, refundId: string, amount: number): Promise<{ readonly reply: ApiReply; readonly outcome: RefundOutcome; readonly refunded?: number }>;
  /** The wallet's simulated-outage answer (HTTP 500 in its format). */
  isOutage(reply: ApiReply): boolean;
  /** When the callback says the event happened (epoch ms) and for how much (rupiah). */
  callbackTime(cb: RedirectCallback): number;
  callbackAmount(cb: RedirectCallback): number;
  callbackReason(cb: RedirectCallback): string | undefined;
  /** Where the browser must land after Pay / Cancel (the merchant's URL plus the wallet's own parameters). */
  expectedReturn(input: CreateInput, outcome: 'paid' | 'cancelled'): string;
}

const RETURN_URL = 'http://merchant.example/return?order=42';
const FAILED_URL = 'http://merchant.example/failed';

const deadline = (input: CreateInput): Date => input.expiresAt ?? new Date(Date.now() + 900_000);

export function danaDriver(sb: TestSandbox): RedirectWalletDriver {
  const dana = new DanaTestClient(sb.baseUrl);
  const money = (rupiah: number) => ({ value: `${rupiah}.00`, currency: 'IDR' });
  const rupiah = (m: unknown): number => Number((m as { value?: string } | undefined)?.value ?? NaN);
  const ref = (tXid: string) => ({ originalPartnerReferenceNo: tXid, merchantId: dana.merchantId });
  return {
    wallet: 'DANA',
    key: 'dana',
    // latestTransactionStatus: a refund leaves the order paid (00), as DANA does; 06 is SNAP's "failed".
    statuses: { pending: '01', paid: '00', failed: '06', cancelled: '06', voided: '05', expired: '05', refunded: '00' },
    callbackStatuses: { paid: '00', failed: '06', cancelled: '06', pending: '01' },
    async create(input) {
      const answer = await dana.call(
        '/payment-host-to-host.htm',
        dana.order({
          tXid: input.tXid,
          phone: input.phone,
          amount: input.amount ?? 15000,
          title: input.description ?? 'Kopi susu x2',
          returnUrl: input.returnUrl ?? RETURN_URL,
          notifyUrl: `${sb.config.gatewayBaseUrl}/callbacks/dana`,
          validUpTo: deadline(input),
        }),
      );
      return { reply: answer, ok: answer.body.responseCode === '2005400', walletRef: String(answer.body.referenceNo), checkoutUrl: String(answer.body.webRedirectUrl) };
    },
    async view(tXid) {
      const answer = await dana.call('/status.htm', { ...ref(tXid), serviceCode: '54' });
      const b = answer.body;
      const detail = (b.additionalInfo as { amountDetail?: { refundAmount?: unknown } } | undefined)?.amountDetail;
      const closed = b.latestTransactionStatus === '05' || b.latestTransactionStatus === '06';
      return {
        reply: answer,
        found: answer.body.responseCode === '2005500',
        status: String(b.latestTransactionStatus),
        ...(closed && typeof b.transactionStatusDesc === 'string' ? { reason: b.transactionStatusDesc } : {}),
        amount: rupiah(b.amount),
        refunded: rupiah(detail?.refundAmount),
      };
    },
    async void(tXid) {
      const answer = await dana.call('/cancel.htm', { ...ref(tXid), reason: 'not paid in time' });
      const outcome = answer.body.responseCode === '2005700' ? 'ok' : answer.body.responseCode === '4035715' ? 'refused' : 'other';
      const now = outcome === 'other' ? undefined : (await dana.call('/status.htm', { ...ref(tXid), serviceCode: '54' })).body.latestTransactionStatus;
      return { reply: answer, outcome, ...(typeof now === 'string' ? { status: now } : {}) };
    },
    async refund(tXid, refundId, amount) {
      // DANA's refund ids are the merchant's across all its orders: name the order in them, as the gateway does.
      const answer = await dana.call('/refund.htm', { ...ref(tXid), partnerRefundNo: `${tXid}-${refundId}`, refundAmount: money(amount), reason: 'returned' });
      const outcome = refundOutcomeOf(answer, answer.body.responseCode, [
        ['ok', 200, '2005800'],
        ['not-paid', 404, '4045800'],
        ['not-allowed', 403, '4035815'],
        ['exceeds', 403, '4035802'],
        ['not-found', 404, '4045801'],
      ]);
      const refunded = outcome === 'ok' ? (await this.view(tXid)).refunded : undefined;
      return { reply: answer, outcome, ...(refunded !== undefined ? { refunded } : {}) };
    },
    isOutage: (r) => r.status === 500 && /^500\d{2}01$/.test(String(r.body.responseCode)),
    callbackTime: (cb) => Date.parse(String(cb.fields.finishedTime)),
    callbackAmount: (cb) => rupiah(cb.fields.amount),
    callbackReason: (cb) => (typeof cb.fields.transactionStatusDesc === 'string' && cb.fields.latestTransactionStatus !== '00' ? cb.fields.transactionStatusDesc : undefined),
    expectedReturn: (input, outcome) =>
      `${input.returnUrl ?? RETURN_URL}&${new URLSearchParams({ originalPartnerReferenceNo: input.tXid, status: outcome === 'paid' ? '00' : '06' }).toString()}`,
  };
}

export function shopeePayDriver(sb: TestSandbox): RedirectWalletDriver {
  const spp = new ShopeePayTestClient(sb.baseUrl);
  const transaction = (r: ApiReply): Record<string, unknown> => (r.body.transaction as Record<string, unknown> | undefined) ?? {};
  return {
    wallet: 'SHOPEEPAY',
    key: 'shopeepay',
    statuses: { pending: '1', paid: '3', failed: '4', cancelled: '5', voided: '6', expired: '6', refunded: '7' },
    callbackStatuses: { paid: '1', failed: '2', cancelled: '3', pending: '0' },
    async create(input) {
      const answer = await spp.call('/order/create', {
        payment_reference_id: input.tXid,
        merchant_ext_id: 'sandbox-shopeepay-client',
        store_ext_id: 'ewallet-gateway',
        amount: (input.amount ?? 15000) * 100,
        currency: 'IDR',
        return_url: input.returnUrl ?? RETURN_URL,
        expiry_time: Math.floor(deadline(input).getTime() / 1000),
        additional_info: { merchant_name: input.merchantName ?? 'Toko Kopi Sandbox', description: input.description ?? 'Kopi susu x2', phone: input.phone },
      });
      return {
        reply: answer,
        ok: answer.status === 200 && answer.body.errcode === 0,
        walletRef: String(answer.body.transaction_sn),
        checkoutUrl: String(answer.body.redirect_url_http),
      };
    },
    async view(tXid) {
      const answer = await spp.call('/transaction/check', { reference_id: tXid, transaction_type: 13 });
      const t = transaction(answer);
      return {
        reply: answer,
        found: answer.body.errcode === 0,
        status: String(t.status),
        ...(typeof t.reason === 'string' ? { reason: t.reason } : {}),
        amount: Number(t.amount) / 100,
        refunded: Number(t.refunded_amount) / 100,
      };
    },
    async void(tXid) {
      const answer = await spp.call('/transaction/void/create', { reference_id: tXid, void_reference_id: `void-${tXid}` });
      const outcome = answer.status === 200 && answer.body.errcode === 0 ? 'ok' : answer.status === 200 && answer.body.errcode === 9 ? 'refused' : 'other';
      return { reply: answer, outcome, status: String(transaction(answer).status) };
    },
    async refund(tXid, refundId, amount) {
      const answer = await spp.call('/transaction/refund/create', { reference_id: tXid, refund_reference_id: refundId, amount: amount * 100 });
      // Business errors are HTTP 200 with an errcode.
      const outcome = refundOutcomeOf(answer, answer.body.errcode, [
        ['ok', 200, 0],
        ['not-paid', 200, 10],
        ['not-allowed', 200, 13],
        ['exceeds', 200, 12],
        ['not-found', 200, 11],
      ]);
      const refund = answer.body.refund as { refunded_amount?: number } | undefined;
      return { reply: answer, outcome, ...(outcome === 'ok' ? { refunded: Number(refund?.refunded_amount) / 100 } : {}) };
    },
    isOutage: (r) => r.status === 500 && typeof r.body.errcode === 'number' && r.body.errcode !== 0,
    callbackTime: (cb) => Number(cb.fields.updated_at) * 1000,
    callbackAmount: (cb) => Number(cb.fields.amount) / 100,
    callbackReason: (cb) => (typeof cb.fields.reason === 'string' ? cb.fields.reason : undefined),
    expectedReturn: (input, outcome) =>
      `${input.returnUrl ?? RETURN_URL}&${new URLSearchParams({ reference_id: input.tXid, result: outcome === 'paid' ? 'success' : 'cancelled' }).toString()}`,
  };
}

export function linkAjaDriver(sb: TestSandbox): RedirectWalletDriver {
  const linkaja = new LinkAjaTestClient(sb.baseUrl);
  const failedUrl = (input: CreateInput): string => input.failedUrl ?? FAILED_URL;
  return {
    wallet: 'LINKAJA',
    key: 'linkaja',
    statuses: { pending: 'PENDING', paid: 'PAID', failed: 'FAILED', cancelled: 'CANCELLED', voided: 'VOIDED', expired: 'EXPIRED', refunded: 'REFUNDED' },
    callbackStatuses: { paid: 'PAID', failed: 'FAILED', cancelled: 'CANCELLED', pending: 'PENDING' },
    async create(input) {
      const amount = input.amount ?? 15000;
      const answer = await linkaja.call('POST', '/checkout', {
        trxId: input.tXid,
        total: String(amount),
        msisdn: input.phone,
        merchantName: input.merchantName ?? 'Toko Kopi Sandbox',
        items: JSON.stringify([{ name: input.description ?? 'Kopi susu', price: amount, qty: 1 }]),
        successUrl: input.returnUrl ?? RETURN_URL,
        failedUrl: failedUrl(input),
        expiredSeconds: '900',
      });
      return { reply: answer, ok: answer.status === 200, walletRef: String(answer.body.refNum), checkoutUrl: String(answer.body.checkoutUrl) };
    },
    async view(tXid) {
      const answer = await linkaja.call('GET', `/checkout/${encodeURIComponent(tXid)}`);
      const b = answer.body;
      return {
        reply: answer,
        found: answer.status === 200,
        status: String(b.trxStatus),
        ...(typeof b.reason === 'string' ? { reason: b.reason } : {}),
        amount: Number(b.total),
        refunded: Number(b.refundedTotal),
      };
    },
    async void(tXid) {
      const answer = await linkaja.call('POST', `/checkout/${encodeURIComponent(tXid)}/cancel`, {});
      const outcome = answer.status === 200 ? 'ok' : answer.status === 409 && answer.body.status === '21' ? 'refused' : 'other';
      return { reply: answer, outcome, status: String(answer.body.trxStatus) };
    },
    async refund(tXid, refundId, amount) {
      const answer = await linkaja.call('POST', `/checkout/${encodeURIComponent(tXid)}/refund`, { refundId, amount: String(amount), reason: 'returned' });
      const outcome = refundOutcomeOf(answer, answer.body.status, [
        ['ok', 200, '00'],
        ['not-paid', 409, '20'],
        ['not-allowed', 422, '23'],
        ['exceeds', 422, '22'],
        ['not-found', 404, '14'],
      ]);
      return { reply: answer, outcome, ...(answer.status === 200 ? { refunded: Number(answer.body.refundedTotal) } : {}) };
    },
    isOutage: (r) => r.status === 500 && typeof r.body.status === 'string' && r.body.status !== '00',
    callbackTime: (cb) => Date.parse(String(cb.fields.eventTime)),
    callbackAmount: (cb) => Number(cb.fields.total),
    callbackReason: (cb) => (cb.fields.reason === '' ? undefined : String(cb.fields.reason)),
    expectedReturn: (input, outcome) =>
      `${outcome === 'paid' ? (input.returnUrl ?? RETURN_URL) : failedUrl(input)}${outcome === 'paid' && (input.returnUrl ?? RETURN_URL).includes('?') ? '&' : '?'}trxId=${encodeURIComponent(input.tXid)}`,
  };
}
