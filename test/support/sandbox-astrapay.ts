/**
 * Test helpers for the sandbox's AstraPay: a stand-in for the gateway's `/callbacks/astrapay` that checks the
 * callback signature with its own code (it is the other party: nothing here imports the sandbox's signing code),
 * and an API client that authenticates the way the gateway's adapter must.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiReply } from './sandbox-harness.js';

export const ASTRAPAY_CALLBACK_SECRET = 'sandbox-astrapay-callback-secret';

export interface AstraPayCallback {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: Record<string, unknown>;
  readonly signatureValid: boolean;
}

export interface AstraPayGateway {
  readonly baseUrl: string;
  readonly received: AstraPayCallback[];
  /** Callbacks about a link request (`linkRequestId`) or a payment (`merchantTransId`). */
  about(id: string): AstraPayCallback[];
  close(): Promise<void>;
}

const hex = (secret: string, data: string): string => createHmac('sha256', secret).update(data).digest('hex');
const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Answers 401 to a callback whose signature does not verify (or is stale), 404 to other paths, else 200. */
export async function startAstraPayGateway(): Promise<AstraPayGateway> {
  const received: AstraPayCallback[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/callbacks/astrapay' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-astrapay-timestamp'] ?? '');
      const fresh = /^\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 60;
      const signatureValid = fresh && same(String(req.headers['x-astrapay-signature'] ?? ''), hex(ASTRAPAY_CALLBACK_SECRET, `${timestamp}.${rawBody}`));
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        /* recorded as {} */
      }
      received.push({ headers: req.headers, rawBody, body, signatureValid });
      res.writeHead(signatureValid ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    about: (id) => received.filter((r) => r.body.linkRequestId === id || r.body.merchantTransId === id),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface AstraPayCallOptions {
  readonly rawBody?: string;
  readonly sign?: boolean;
  /** Unix seconds. */
  readonly timestamp?: number;
  readonly secret?: string;
  readonly clientId?: string;
  readonly idempotencyKey?: string;
}

/** AstraPay's API: `X-AstraPay-Client`, `X-AstraPay-Timestamp` (unix s), hex HMAC over `METHOD|path|timestamp|sha256hex(body)`. */
export class AstraPayTestClient {
  constructor(
    readonly baseUrl: string,
    readonly clientId = 'sandbox-astrapay-client',
    readonly clientSecret = 'sandbox-astrapay-secret-change-me',
  ) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown, options: AstraPayCallOptions = {}): Promise<ApiReply> {
    const pathAndQuery = `/astrapay/v1${path}`;
    const rawBody = options.rawBody ?? (body === undefined ? '' : JSON.stringify(body));
    const headers: Record<string, string> = {};
    if (rawBody !== '') headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
    if (options.sign !== false) {
      const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
      headers['X-AstraPay-Client'] = options.clientId ?? this.clientId;
      headers['X-AstraPay-Timestamp'] = timestamp;
      headers['X-AstraPay-Signature'] = hex(options.secret ?? this.clientSecret, `${method}|${pathAndQuery}|${timestamp}|${createHash('sha256').update(rawBody).digest('hex')}`);
    }
    const response = await fetch(`${this.baseUrl}${pathAndQuery}`, { method, headers, ...(rawBody !== '' ? { body: rawBody } : {}) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: response.headers };
  }
}
