/**
 * Test helpers for the redirect wallets of the sandbox (DANA, ShopeePay, LinkAja: all SNAP): a stand-in for the gateway's
 * `/callbacks/<wallet>` endpoints that checks each wallet's notify signature with its own code (it is the other
 * party, so nothing here imports the sandbox's signing code), API clients that authenticate the way the gateway's
 * adapters must, a cookie-keeping "browser" for the checkout pages, and one driver per wallet that lets the shared
 * scenarios (sandbox-redirect-suite.ts) speak each wallet's API.
 */
import { createHash, createHmac, createPublicKey, randomInt, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import type { SandboxAppOptions } from '../../sandbox/app.js';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { defaultWallets } from '../../wallets/registry.js';
import { startTestSandbox, type ApiReply, type TestSandbox } from './sandbox-harness.js';

/** A SNAP wallet of the sandbox by its ledger name: DANA, SHOPEEPAY, LINKAJA (redirect), OVO (push), or one a test adds. */
export type RedirectWalletName = string;

/** A wallet whose notifies the stand-in gateway takes: at `/callbacks/<callbackPath>`, verified with its public key. */
export interface NotifyingWallet {
  readonly wallet: RedirectWalletName;
  readonly callbackPath: string;
  /** The gateway's copy of the wallet's public key (SNAP notifies are RSA-signed by the wallet). */
  readonly publicKey: string;
}

/** The registry's SNAP wallets with payment notifies, with the gateway's sandbox copies of their keys. */
const sandboxNotifiers: readonly NotifyingWallet[] = [
  { wallet: 'DANA', callbackPath: 'dana', publicKey: sandboxSecrets.DANA_PUBLIC_KEY },
  { wallet: 'SHOPEEPAY', callbackPath: 'shopeepay', publicKey: sandboxSecrets.SHOPEEPAY_PUBLIC_KEY },
  { wallet: 'LINKAJA', callbackPath: 'linkaja', publicKey: sandboxSecrets.LINKAJA_PUBLIC_KEY },
  { wallet: 'OVO', callbackPath: 'ovo', publicKey: sandboxSecrets.OVO_PUBLIC_KEY },
];

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

function verify(wallet: NotifyingWallet, headers: IncomingHttpHeaders, rawBody: string): Omit<RedirectCallback, 'wallet' | 'headers' | 'rawBody'> {
  const header = (name: string): string => String(headers[name] ?? '');
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(rawBody) as Record<string, unknown>;
  } catch {
    /* recorded as {} */
  }
  // SNAP asymmetric notify: SHA256withRSA over `POST:/callbacks/<wallet>:sha256hex(minified body):X-TIMESTAMP`, the wallet's key.
  const timestamp = header('x-timestamp');
  const fresh = /\+07:00$/.test(timestamp) && Math.abs(Date.now() - Date.parse(timestamp)) < 60_000;
  const valid = fresh && rsaSigned(wallet.publicKey, `POST:/callbacks/${wallet.callbackPath}:${sha256hex(rawBody)}:${timestamp}`, header('x-signature'));
  return { fields, ref: String(fields.originalPartnerReferenceNo), status: String(fields.latestTransactionStatus), signatureValid: valid };
}

/**
 * Answers 401 to a callback whose signature does not verify, 404 to other paths, else 200 (or what `respondWith` queued).
 * `extra`: wallets beyond the registry's that a test adds.
 */
export async function startRedirectGateway(extra: readonly NotifyingWallet[] = []): Promise<RedirectGateway> {
  const walletOfPath = new Map([...sandboxNotifiers, ...extra].map((w) => [`/callbacks/${w.callbackPath}`, w]));
  const received: RedirectCallback[] = [];
  const queued: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const wallet = walletOfPath.get(req.url ?? '');
      if (wallet === undefined || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const callback: RedirectCallback = { wallet: wallet.wallet, headers: req.headers, rawBody, ...verify(wallet, req.headers, rawBody) };
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

/** A wallet a test adds to the registry's: the sandbox serves it from its descriptor and its variables alone. */
export interface AddedWallet {
  readonly descriptor: WalletDescriptor;
  /** Its sandbox variables (it has no defaults). */
  readonly env: Readonly<Record<string, string>>;
  /** The gateway's side: its client credentials, and its copy of the wallet's public key (verifies notifies). */
  readonly client: SnapClientCredentials;
  readonly publicKey: string;
}

/** Where the shared scenarios run: the sandbox and the stand-in gateway for the registry's wallets, and `added`'s. */
export interface WalletWorld {
  readonly added: AddedWallet | undefined;
  startSandbox(gatewayBaseUrl: string, env?: Record<string, string>, options?: SandboxAppOptions): Promise<TestSandbox>;
  startGateway(): Promise<RedirectGateway>;
}

export function walletWorld(added?: AddedWallet): WalletWorld {
  const wallets = added !== undefined ? [...defaultWallets, added.descriptor] : defaultWallets;
  const notifiers = added !== undefined ? [{ wallet: added.descriptor.ledgerName, callbackPath: added.descriptor.callbackPath, publicKey: added.publicKey }] : [];
  return {
    added,
    startSandbox: (gatewayBaseUrl, env = {}, options) => startTestSandbox(gatewayBaseUrl, { ...added?.env, ...env }, options, wallets),
    startGateway: () => startRedirectGateway(notifiers),
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

function rsaSigned(publicKeyPem: string, data: string, signature: string): boolean {
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

/** The registry's Direct Debit wallets, by callbackPath; a test's own wallet is any other path. */
export type SnapWalletKey = 'shopeepay' | 'linkaja' | 'ovo';

/** The gateway's side of a SNAP Direct Debit client: its id, its HMAC secret, its private key (B2B token requests). */
export interface SnapClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly privateKey: string;
}

const sandboxPrefix: Record<SnapWalletKey, 'SHOPEEPAY' | 'LINKAJA' | 'OVO'> = { shopeepay: 'SHOPEEPAY', linkaja: 'LINKAJA', ovo: 'OVO' };

/** The gateway's sandbox credentials of a registry wallet (domain/sandbox-secrets.ts). */
export function sandboxClient(key: SnapWalletKey): SnapClientCredentials {
  const upper = sandboxPrefix[key] as (typeof sandboxPrefix)[SnapWalletKey] | undefined;
  if (upper === undefined) throw new Error(`no sandbox credentials for /${key}: pass the wallet's own`);
  return { clientId: sandboxSecrets[`${upper}_CLIENT_ID`], clientSecret: sandboxSecrets[`${upper}_CLIENT_SECRET`], privateKey: sandboxSecrets[`${upper}_PRIVATE_KEY`] };
}

/** Where a Direct Debit wallet publishes its token and its debit calls: the standard's, or OVO's under `/OVOSNAP`. */
const standardPaths = { token: '/v1.0/access-token/b2b', debit: '/v1.0/debit' } as const;
const publishedPaths: Readonly<Record<string, { readonly token: string; readonly debit: string }>> = {
  ovo: { token: '/OVOSNAP/v1.0/access-token/b2b', debit: '/OVOSNAP/v2.0/debit' },
};

/** OVO writes its times with milliseconds (`…T12:00:00.000+07:00`); the others whole seconds. */
function walletTimestamp(key: string, at: number = Date.now()): string {
  return key === 'ovo' ? jakartaTimestamp(at).replace('+07:00', `.${String(at % 1000).padStart(3, '0')}+07:00`) : jakartaTimestamp(at);
}

export interface SnapCallOptions {
  readonly rawBody?: string;
  /** The B2B token to send (default: one fetched with the gateway's sandbox key); `null`: no Authorization header. */
  readonly token?: string | null;
  /** Another client secret to sign with (the sandbox trusts only the gateway's sandbox secret). */
  readonly secret?: string;
  readonly partnerId?: string;
  readonly timestamp?: string;
  /** The path the signature covers (default: the published path, without `/<wallet>`). */
  readonly signedPath?: string;
  /** Default: a fresh one per call. */
  readonly externalId?: string;
  /** Headers to leave out (e.g. `X-EXTERNAL-ID`). */
  readonly omitHeaders?: readonly string[];
}

/**
 * A SNAP Direct Debit wallet (ShopeePay, LinkAja) the way the gateway's adapter must call it (symmetric profile):
 * `POST /v1.0/access-token/b2b` signed SHA256withRSA over `clientId|X-TIMESTAMP` with the gateway's key, then every
 * call with `Authorization: Bearer <token>` and a base64 HMAC-SHA512 with the client secret over
 * `POST:<published path>:<token>:sha256hex(minified body):X-TIMESTAMP`; written here from the standard with
 * `node:crypto` alone.
 */
export class SnapDirectDebitTestClient {
  #token: string | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly privateKey: string;

  readonly #paths: { readonly token: string; readonly debit: string };

  /** `key`: the wallet's callbackPath; `credentials`: the gateway's sandbox ones for a registry wallet. */
  constructor(
    readonly baseUrl: string,
    readonly key: string,
    credentials: SnapClientCredentials = sandboxClient(key as SnapWalletKey),
  ) {
    this.clientId = credentials.clientId;
    this.clientSecret = credentials.clientSecret;
    this.privateKey = credentials.privateKey;
    this.#paths = publishedPaths[key] ?? standardPaths;
  }

  /** `POST /<wallet>/v1.0/access-token/b2b`; override any header or the body to see it refused. */
  async requestToken(o: { clientId?: string; privateKey?: string; timestamp?: string; body?: string; omitHeaders?: readonly string[] } = {}): Promise<ApiReply> {
    const timestamp = o.timestamp ?? walletTimestamp(this.key);
    const clientId = o.clientId ?? this.clientId;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-CLIENT-KEY': clientId,
      'X-TIMESTAMP': timestamp,
      'X-SIGNATURE': rsaSign('sha256', Buffer.from(`${clientId}|${timestamp}`, 'utf8'), o.privateKey ?? this.privateKey).toString('base64'),
    };
    for (const name of o.omitHeaders ?? []) delete headers[name];
    return reply(await fetch(`${this.baseUrl}/${this.key}${this.#paths.token}`, { method: 'POST', headers, body: o.body ?? JSON.stringify({ grantType: 'client_credentials' }) }));
  }

  async token(): Promise<string> {
    if (this.#token === undefined) {
      const answer = await this.requestToken();
      if (answer.body.responseCode !== '2007300') throw new Error(`B2B token: ${JSON.stringify(answer.body)}`);
      this.#token = String(answer.body.accessToken);
    }
    return this.#token;
  }

  /** POSTs `body` (minified JSON) to `/<wallet>/v1.0/debit${path}` (`/status`, …; OVO: `/OVOSNAP/v2.0/debit…`). */
  async call(path: string, body: unknown, options: SnapCallOptions = {}): Promise<ApiReply> {
    const published = `${this.#paths.debit}${path}`;
    const rawBody = options.rawBody ?? JSON.stringify(body);
    const token = options.token === undefined ? await this.token() : options.token;
    const timestamp = options.timestamp ?? walletTimestamp(this.key);
    let minified = rawBody;
    try {
      minified = JSON.stringify(JSON.parse(rawBody));
    } catch {
      // signed as sent
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-TIMESTAMP': timestamp,
      'X-SIGNATURE': createHmac('sha512', options.secret ?? this.clientSecret)
        .update(`POST:${options.signedPath ?? published}:${token ?? ''}:${sha256hex(minified)}:${timestamp}`, 'utf8')
        .digest('base64'),
      'X-PARTNER-ID': options.partnerId ?? this.clientId,
      'X-EXTERNAL-ID': options.externalId ?? String(randomInt(1e9, 1e10 - 1)) + String(Date.now()),
      'CHANNEL-ID': '95221',
      ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
    };
    for (const name of options.omitHeaders ?? []) delete headers[name];
    return reply(await fetch(`${this.baseUrl}/${this.key}${published}`, { method: 'POST', headers, body: rawBody }));
  }

  /** A create body as the gateway sends it (override any field). */
  order(input: { tXid: string; phone: string; amount?: number; remark?: string; returnUrl?: string; notifyUrl?: string; validUpTo?: Date }): Record<string, unknown> {
    return {
      partnerReferenceNo: input.tXid,
      merchantId: this.clientId,
      amount: { value: `${input.amount ?? 15000}.00`, currency: 'IDR' },
      validUpTo: jakartaTimestamp((input.validUpTo ?? new Date(Date.now() + 900_000)).getTime()),
      urlParams: [
        { url: input.returnUrl ?? 'http://merchant.example/return', type: 'PAY_RETURN', isDeeplink: 'N' },
        ...(input.notifyUrl !== undefined ? [{ url: input.notifyUrl, type: 'PAY_NOTIFY', isDeeplink: 'N' }] : []),
      ],
      additionalInfo: { phoneNo: input.phone, remark: input.remark ?? 'Kopi susu x2' },
    };
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
  /** The merchant's deadline (`validUpTo`); default 900 s from the call. */
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
  /** `push` (OVO): the create answers 202 without a checkout URL, the customer answers in the wallet's app. */
  readonly flow: 'redirect' | 'push';
  /** Whether an undelivered callback is sent again (ShopeePay's notify is sent once: false). */
  readonly notifyRetried: boolean;
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

const deadline = (input: CreateInput): Date => input.expiresAt ?? new Date(Date.now() + 900_000);

export function danaDriver(sb: TestSandbox): RedirectWalletDriver {
  const dana = new DanaTestClient(sb.baseUrl);
  const money = (rupiah: number) => ({ value: `${rupiah}.00`, currency: 'IDR' });
  const rupiah = (m: unknown): number => Number((m as { value?: string } | undefined)?.value ?? NaN);
  const ref = (tXid: string) => ({ originalPartnerReferenceNo: tXid, merchantId: dana.merchantId });
  return {
    wallet: 'DANA',
    key: 'dana',
    flow: 'redirect',
    // latestTransactionStatus: a refund leaves the order paid (00), as DANA does; 06 is SNAP's "failed".
    statuses: { pending: '01', paid: '00', failed: '06', cancelled: '06', voided: '05', expired: '05', refunded: '00' },
    callbackStatuses: { paid: '00', failed: '06', cancelled: '06', pending: '01' },
    notifyRetried: true,
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

/**
 * A SNAP Direct Debit wallet's driver: latestTransactionStatus 01 initiated, 00 paid, 04 fully refunded, 05 closed
 * unpaid, 06 failed; the refunded amount is the sum of `refundHistory`.
 */
export function directDebitDriver(
  sb: TestSandbox,
  wallet: RedirectWalletName,
  key: string,
  o: { readonly credentials?: SnapClientCredentials; readonly notifyRetried?: boolean } = {},
): RedirectWalletDriver {
  const push = wallet === 'OVO';
  const client = new SnapDirectDebitTestClient(sb.baseUrl, key, o.credentials);
  const money = (rupiah: number) => ({ value: `${rupiah}.00`, currency: 'IDR' });
  const rupiah = (m: unknown): number => Number((m as { value?: string } | undefined)?.value ?? NaN);
  const ref = (tXid: string) => ({ originalPartnerReferenceNo: tXid, merchantId: client.clientId });
  const status = async (tXid: string) => client.call('/status', { ...ref(tXid), serviceCode: '54' });
  return {
    wallet,
    key,
    flow: push ? 'push' : 'redirect',
    statuses: { pending: '01', paid: '00', failed: '06', cancelled: '06', voided: '05', expired: '05', refunded: '04' },
    callbackStatuses: { paid: '00', failed: '06', cancelled: '06', pending: '01' },
    notifyRetried: o.notifyRetried ?? wallet !== 'SHOPEEPAY',
    async create(input) {
      const answer = await client.call(
        '/payment-host-to-host',
        client.order({
          tXid: input.tXid,
          phone: input.phone,
          amount: input.amount ?? 15000,
          remark: input.description ?? 'Kopi susu x2',
          returnUrl: input.returnUrl ?? RETURN_URL,
          notifyUrl: `${sb.config.gatewayBaseUrl}/callbacks/${key}`,
          validUpTo: deadline(input),
        }),
      );
      // A push is "in progress" (202xx00) until the customer answers in the app: there is no page to send anyone to.
      const ok = answer.body.responseCode === (push ? '2025400' : '2005400');
      return { reply: answer, ok, walletRef: String(answer.body.referenceNo), checkoutUrl: push ? '' : String(answer.body.webRedirectUrl) };
    },
    async view(tXid) {
      const answer = await status(tXid);
      const b = answer.body;
      const history = Array.isArray(b.refundHistory) ? (b.refundHistory as Array<{ refundAmount?: unknown }>) : [];
      const closed = b.latestTransactionStatus === '05' || b.latestTransactionStatus === '06';
      return {
        reply: answer,
        found: answer.body.responseCode === '2005500',
        status: String(b.latestTransactionStatus),
        ...(closed && typeof b.transactionStatusDesc === 'string' ? { reason: b.transactionStatusDesc } : {}),
        amount: rupiah(b.amount),
        refunded: history.reduce((sum, r) => sum + rupiah(r.refundAmount), 0),
      };
    },
    async void(tXid) {
      const answer = await client.call('/cancel', { ...ref(tXid), reason: 'not paid in time' });
      const outcome = answer.body.responseCode === '2005700' ? 'ok' : answer.body.responseCode === '4035715' ? 'refused' : 'other';
      const now = outcome === 'other' ? undefined : (await status(tXid)).body.latestTransactionStatus;
      return { reply: answer, outcome, ...(typeof now === 'string' ? { status: now } : {}) };
    },
    async refund(tXid, refundId, amount) {
      // partnerRefundNo is the merchant's across all its orders: name the order in it, as the gateway does.
      const answer = await client.call('/refund', { ...ref(tXid), partnerRefundNo: `${tXid}-${refundId}`, refundAmount: money(amount), reason: 'returned' });
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
    callbackReason: (cb) => (typeof cb.fields.transactionStatusDesc === 'string' && cb.fields.latestTransactionStatus === '06' ? cb.fields.transactionStatusDesc : undefined),
    expectedReturn: (input, outcome) =>
      `${input.returnUrl ?? RETURN_URL}&${new URLSearchParams({ originalPartnerReferenceNo: input.tXid, latestTransactionStatus: outcome === 'paid' ? '00' : '06' }).toString()}`,
  };
}

export const shopeePayDriver = (sb: TestSandbox): RedirectWalletDriver => directDebitDriver(sb, 'SHOPEEPAY', 'shopeepay');
export const linkAjaDriver = (sb: TestSandbox): RedirectWalletDriver => directDebitDriver(sb, 'LINKAJA', 'linkaja');
export const ovoDriver = (sb: TestSandbox): RedirectWalletDriver => directDebitDriver(sb, 'OVO', 'ovo');
