/**
 * Test helpers for the wallet sandbox: a stand-in for the gateway's `/callbacks/<wallet>` endpoint that checks
 * the callback signature on its own (it is the other party), an OVO API client that signs its requests,
 * and a polling wait.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSandboxConfig, type SandboxConfig } from '../../sandbox/config.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/listen.js';
import type { SandboxAppOptions } from '../../sandbox/app.js';
import { signOvoRequest } from '../../sandbox/ovo/auth.js';

export interface ReceivedCallback {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: Record<string, unknown>;
  readonly signatureValid: boolean;
}

export interface FakeGateway {
  readonly baseUrl: string;
  readonly received: ReceivedCallback[];
  /** HTTP statuses for the next callbacks, in order; afterwards 200. */
  respondWith(...statuses: number[]): void;
  forInvoice(merchantInvoice: string): ReceivedCallback[];
  close(): Promise<void>;
}

/** `X-Callback-Signature` = hex HMAC-SHA256(OVO_CALLBACK_SECRET, `${X-Callback-Timestamp}.${rawBody}`). */
export async function startFakeGateway(callbackSecret: string): Promise<FakeGateway> {
  const received: ReceivedCallback[] = [];
  const queued: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-callback-timestamp'] ?? '');
      const signature = String(req.headers['x-callback-signature'] ?? '');
      const expected = createHmac('sha256', callbackSecret).update(`${timestamp}.${rawBody}`).digest('hex');
      const signatureValid =
        signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) && /^\d+$/.test(timestamp);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        /* recorded as {} */
      }
      received.push({ path: req.url ?? '', headers: req.headers, rawBody, body, signatureValid });
      const status = signatureValid ? (queued.shift() ?? 200) : 401;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    respondWith: (...statuses) => queued.push(...statuses),
    forInvoice: (merchantInvoice) => received.filter((r) => r.body.merchantInvoice === merchantInvoice),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface ApiReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

export interface OvoCallOptions {
  readonly body?: unknown;
  /** Sent as is (not JSON-encoded), e.g. broken JSON. */
  readonly rawBody?: string;
  readonly idempotencyKey?: string;
  readonly headers?: Record<string, string>;
  /** `false`: no authentication headers at all. */
  readonly sign?: boolean;
  readonly timestamp?: number;
  readonly secret?: string;
  readonly clientId?: string;
}

/** Calls the OVO sandbox API the way the gateway's adapter must: signed over method, path+query, time and body. */
export class OvoTestClient {
  constructor(
    readonly baseUrl: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  async call(method: string, pathAndQuery: string, options: OvoCallOptions = {}): Promise<ApiReply> {
    const rawBody = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : '');
    const headers: Record<string, string> = { ...(rawBody !== '' ? { 'Content-Type': 'application/json' } : {}) };
    if (options.sign !== false) {
      const timestamp = options.timestamp ?? Date.now();
      headers['X-Client-Id'] = options.clientId ?? this.clientId;
      headers['X-Timestamp'] = String(timestamp);
      headers['X-Signature'] = signOvoRequest({ method, pathAndQuery, timestamp, rawBody, secret: options.secret ?? this.clientSecret });
    }
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
    Object.assign(headers, options.headers);
    const response = await fetch(`${this.baseUrl}${pathAndQuery}`, { method, headers, ...(rawBody !== '' ? { body: rawBody } : {}) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: response.headers };
  }
}

export interface TestSandbox {
  readonly sandbox: RunningSandbox;
  readonly config: SandboxConfig;
  readonly ovo: OvoTestClient;
  readonly baseUrl: string;
  getJson(path: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The sandbox in-process on port 0 with short delays, calling back `gatewayBaseUrl`. */
export async function startTestSandbox(
  gatewayBaseUrl: string,
  env: Record<string, string> = {},
  options: SandboxAppOptions = { persist: false },
): Promise<TestSandbox> {
  const config = loadSandboxConfig({
    SANDBOX_PORT: '0',
    GATEWAY_BASE_URL: gatewayBaseUrl,
    SANDBOX_APPROVE_DELAY_MS: '50',
    SANDBOX_LATE_APPROVE_MS: '300',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const sandbox = await startSandbox(config, options);
  return {
    sandbox,
    config,
    baseUrl: sandbox.baseUrl,
    ovo: new OvoTestClient(sandbox.baseUrl, config.ovo.clientId, config.ovo.clientSecret),
    getJson: async (path) => {
      const response = await fetch(`${sandbox.baseUrl}${path}`);
      return (await response.json()) as Record<string, unknown>;
    },
    close: () => sandbox.close(),
  };
}

/** Polls until `probe` returns something other than `undefined`/`false`, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
