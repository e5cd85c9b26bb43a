/**
 * Test helpers for the sandbox's AstraPay (SNAP): a stand-in for the gateway's `/callbacks/astrapay` that verifies the
 * notify signature with its own code (SHA256withRSA, AstraPay's key, over `POST:/callbacks/astrapay:sha256hex(body):X-TIMESTAMP`;
 * it is the other party: nothing here imports the sandbox's signing code), and an API client that calls the way the
 * gateway's adapter must (B2B token, HMAC-SHA512, `Authorization-Customer` on a bound account).
 */
import { createHash, createHmac, createPublicKey, randomInt, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import type { ApiReply } from './sandbox-harness.js';
import { jakartaTimestamp } from './sandbox-redirect-harness.js';

export interface AstraPayCallback {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: Record<string, unknown>;
  readonly signatureValid: boolean;
}

export interface AstraPayGateway {
  readonly baseUrl: string;
  readonly received: AstraPayCallback[];
  /** Notifies about a binding (`partnerReferenceNo`) or a payment (`originalPartnerReferenceNo`). */
  about(id: string): AstraPayCallback[];
  close(): Promise<void>;
}

const sha256hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

function notifySigned(rawBody: string, headers: IncomingHttpHeaders): boolean {
  const timestamp = String(headers['x-timestamp'] ?? '');
  if (!/\+07:00$/.test(timestamp) || Math.abs(Date.now() - Date.parse(timestamp)) > 60_000) return false;
  try {
    const data = `POST:/callbacks/astrapay:${sha256hex(rawBody)}:${timestamp}`;
    return rsaVerify('sha256', Buffer.from(data, 'utf8'), createPublicKey(sandboxSecrets.ASTRAPAY_PUBLIC_KEY), Buffer.from(String(headers['x-signature'] ?? ''), 'base64'));
  } catch {
    return false;
  }
}

/** Answers 401 to a notify whose signature does not verify (or is stale), 404 to other paths, else 200. */
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
      const signatureValid = notifySigned(rawBody, req.headers);
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
    about: (id) => received.filter((r) => r.body.partnerReferenceNo === id || r.body.originalPartnerReferenceNo === id),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface AstraPayCallOptions {
  readonly rawBody?: string;
  /** Another client secret to sign with. */
  readonly secret?: string;
  /** The B2B token (default: one fetched with the gateway's sandbox key); `null`: none. */
  readonly token?: string | null;
  /** `Authorization-Customer: Bearer <customerToken>`. */
  readonly customerToken?: string;
  readonly externalId?: string;
}

/**
 * AstraPay's SNAP API as the gateway's adapter must call it, written from the standard with `node:crypto` alone:
 * `POST /v1.0/access-token/b2b` (SHA256withRSA of `clientId|X-TIMESTAMP`), then every call HMAC-SHA512 with the client
 * secret over `POST:<published path>:<token>:sha256hex(minified body):X-TIMESTAMP`.
 */
export class AstraPayTestClient {
  #token: string | undefined;
  readonly clientId = sandboxSecrets.ASTRAPAY_CLIENT_ID;
  readonly clientSecret = sandboxSecrets.ASTRAPAY_CLIENT_SECRET;

  constructor(readonly baseUrl: string) {}

  async token(): Promise<string> {
    if (this.#token === undefined) {
      const timestamp = jakartaTimestamp();
      const response = await fetch(`${this.baseUrl}/astrapay/v1.0/access-token/b2b`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-CLIENT-KEY': this.clientId,
          'X-TIMESTAMP': timestamp,
          'X-SIGNATURE': rsaSign('sha256', Buffer.from(`${this.clientId}|${timestamp}`, 'utf8'), sandboxSecrets.ASTRAPAY_PRIVATE_KEY).toString('base64'),
        },
        body: JSON.stringify({ grantType: 'client_credentials' }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (body.responseCode !== '2007300') throw new Error(`B2B token: ${JSON.stringify(body)}`);
      this.#token = String(body.accessToken);
    }
    return this.#token;
  }

  /** POSTs `body` to `/astrapay${published}` (`/v1.0/registration-account-binding`, `/v1.0/debit/status`, …). */
  async call(published: string, body: unknown, options: AstraPayCallOptions = {}): Promise<ApiReply> {
    const rawBody = options.rawBody ?? JSON.stringify(body);
    const token = options.token === undefined ? await this.token() : options.token;
    const timestamp = jakartaTimestamp();
    const signature = createHmac('sha512', options.secret ?? this.clientSecret)
      .update(`POST:${published}:${token ?? ''}:${sha256hex(rawBody)}:${timestamp}`, 'utf8')
      .digest('base64');
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-TIMESTAMP': timestamp,
      'X-SIGNATURE': signature,
      'X-PARTNER-ID': this.clientId,
      'X-EXTERNAL-ID': options.externalId ?? `${randomInt(1e9, 1e10 - 1)}${Date.now()}`,
      'CHANNEL-ID': '95221',
      ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
      ...(options.customerToken !== undefined ? { 'Authorization-Customer': `Bearer ${options.customerToken}` } : {}),
    };
    const response = await fetch(`${this.baseUrl}/astrapay${published}`, { method: 'POST', headers, body: rawBody });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: response.headers };
  }

  /** A binding request as the gateway sends it (override any field). */
  binding(input: { mandateID: string; phone: string; returnUrl?: string; validUpTo?: string }): Record<string, unknown> {
    return {
      partnerReferenceNo: input.mandateID,
      merchantId: this.clientId,
      phoneNo: input.phone,
      additionalData: { userId: 'Budi Santoso', email: 'budi@example.com' },
      additionalInfo: { mitraCd: 'ASTR', callbackUrl: input.returnUrl ?? 'http://gateway.example/astrapay/return', ...(input.validUpTo !== undefined ? { validUpTo: input.validUpTo } : {}) },
    };
  }

  /** A payment on a bound account as the gateway sends it. */
  payment(input: { tXid: string; amount?: number; notifyUrl?: string; returnUrl?: string }): Record<string, unknown> {
    return {
      partnerReferenceNo: input.tXid,
      merchantId: this.clientId,
      amount: { value: `${input.amount ?? 15000}.00`, currency: 'IDR' },
      validUpTo: jakartaTimestamp(Date.now() + 900_000),
      urlParams: [
        { url: input.returnUrl ?? 'http://gateway.example/return', type: 'PAY_RETURN', isDeeplink: 'N' },
        ...(input.notifyUrl !== undefined ? [{ url: input.notifyUrl, type: 'PAY_NOTIFY', isDeeplink: 'N' }] : []),
      ],
      additionalInfo: { mitraCd: 'ASTR', remark: 'Kopi susu x2' },
    };
  }
}
