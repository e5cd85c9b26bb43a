/**
 * Wallet callbacks as each wallet sends them (sandbox/README.md, "Callbacks"): its own body format and its own
 * signature (HMAC-SHA256 under its callback secret; the SNAP wallets' SHA256withRSA under the wallet's key). Written
 * from the wallets' published formats only — it imports neither the sandbox's nor the gateway's signing code, since
 * in a callback test those are the other party.
 */
import { createHash, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';

export type ForgeWallet = 'ovo' | 'dana' | 'shopeepay' | 'linkaja' | 'astrapay';

export const forgeWallets: readonly ForgeWallet[] = ['ovo', 'dana', 'shopeepay', 'linkaja', 'astrapay'];

/** The gateway's `mitraCd` of each wallet (CONTRACT §3). */
export const mitraCdOf: Record<ForgeWallet, string> = { ovo: 'OVOE', dana: 'DANA', shopeepay: 'ESHP', linkaja: 'LINK', astrapay: 'ASTR' };

/** What a callback says, in the gateway's words; each wallet writes it in its own. */
export type ForgedState = 'PAID' | 'FAILED' | 'PENDING';

export interface CallbackFacts {
  readonly tXid: string;
  /** The wallet's own id of the payment (OVO paymentId, DANA / ShopeePay / LinkAja referenceNo, AstraPay paymentId). */
  readonly providerRef: string;
  /** Whole rupiah (the SNAP wallets' wire amount is a "15000.00" string). */
  readonly amount: number;
  readonly state: ForgedState;
  /** When the event happened at the wallet (the body's event time); default now. */
  readonly eventTime?: Date;
  /** When the wallet signed this delivery (the signed timestamp header of OVO, DANA and AstraPay); default now. */
  readonly signedAt?: Date;
  /** The amount exactly as written on the wire, instead of `amount` in the wallet's unit (the SNAP wallets' "15000.00"). */
  readonly wireAmount?: string | number;
}

/** One HTTP delivery of a callback, ready to POST to the gateway. */
export interface ForgedCallback {
  readonly wallet: ForgeWallet;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const hmac = (secret: string, data: string, encoding: 'hex' | 'base64') => createHmac('sha256', secret).update(data, 'utf8').digest(encoding);

/** Each wallet's status words for our three states. */
const words: Record<ForgeWallet, Record<ForgedState, string | number>> = {
  ovo: { PAID: 'SUCCESS', FAILED: 'DECLINED', PENDING: 'PENDING' },
  // SNAP latestTransactionStatus: 00 success, 06 failed, 01 initiated.
  dana: { PAID: '00', FAILED: '06', PENDING: '01' },
  shopeepay: { PAID: '00', FAILED: '06', PENDING: '01' },
  linkaja: { PAID: '00', FAILED: '06', PENDING: '01' },
  astrapay: { PAID: 'SUCCESS', FAILED: 'FAILED', PENDING: 'PENDING' },
};

const DECLINED = 'customer declined';

let stranger: KeyObject | undefined;
/** A forger's RSA key, for a SNAP notify "signed" with something that is not the wallet's key. */
function rsaKeyOf(secret: string): string | KeyObject {
  if (secret.includes('PRIVATE KEY')) return secret;
  stranger ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return stranger;
}

/** DANA's times: Jakarta, whole seconds, `+07:00`. */
const jakarta = (at: Date): string => `${new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;

/**
 * A callback of `wallet` saying `facts`, signed with `secret` (the wallet's callback secret, or for the SNAP wallets
 * DANA, ShopeePay and LinkAja its RSA private key, PEM; pass another to forge a bad signature). The result can be delivered as is, or altered after signing to tamper with it.
 */
export function forgeCallback(wallet: ForgeWallet, facts: CallbackFacts, secret: string): ForgedCallback {
  const eventTime = (facts.eventTime ?? new Date()).toISOString();
  const signedAt = facts.signedAt ?? new Date();
  const status = words[wallet][facts.state];
  const failed = facts.state === 'FAILED';
  switch (wallet) {
    case 'ovo': {
      // JSON; X-Callback-Timestamp unix ms; X-Callback-Signature hex HMAC of `${timestamp}.${rawBody}`.
      const body = JSON.stringify({
        event: 'payment.updated',
        paymentId: facts.providerRef,
        merchantInvoice: facts.tXid,
        amount: facts.wireAmount ?? facts.amount,
        status,
        ...(failed ? { reason: DECLINED } : {}),
        occurredAt: eventTime,
      });
      const timestamp = String(signedAt.getTime());
      return json(wallet, body, { 'X-Callback-Timestamp': timestamp, 'X-Callback-Signature': hmac(secret, `${timestamp}.${body}`, 'hex') });
    }
    case 'dana': {
      // DANA's finish notify (SNAP): X-TIMESTAMP +07:00; X-SIGNATURE base64 SHA256withRSA, DANA's key, of
      // `POST:/callbacks/dana:lowerhex(sha256(minified body)):X-TIMESTAMP` (the gateway's own notify path).
      const body = JSON.stringify({
        originalPartnerReferenceNo: facts.tXid,
        originalReferenceNo: facts.providerRef,
        merchantId: sandboxSecrets.DANA_MERCHANT_ID,
        amount: { value: String(facts.wireAmount ?? `${facts.amount}.00`), currency: 'IDR' },
        latestTransactionStatus: status,
        transactionStatusDesc: failed ? DECLINED : String(status),
        createdTime: jakarta(new Date(Date.parse(eventTime) - 60_000)),
        finishedTime: jakarta(new Date(eventTime)),
      });
      const timestamp = jakarta(signedAt);
      const data = `POST:/callbacks/dana:${createHash('sha256').update(body, 'utf8').digest('hex')}:${timestamp}`;
      return json(wallet, body, {
        'X-TIMESTAMP': timestamp,
        'X-SIGNATURE': sign('sha256', Buffer.from(data, 'utf8'), rsaKeyOf(secret)).toString('base64'),
        'X-PARTNER-ID': sandboxSecrets.DANA_PARTNER_ID,
        'X-EXTERNAL-ID': String(signedAt.getTime()),
        'CHANNEL-ID': '95221',
      });
    }
    case 'shopeepay':
    case 'linkaja': {
      // SNAP Direct Debit notify (service 56): the DANA-style signature by the wallet's key over the gateway's path.
      const merchantId = wallet === 'shopeepay' ? sandboxSecrets.SHOPEEPAY_CLIENT_ID : sandboxSecrets.LINKAJA_CLIENT_ID;
      const body = JSON.stringify({
        originalPartnerReferenceNo: facts.tXid,
        originalReferenceNo: facts.providerRef,
        merchantId,
        amount: { value: String(facts.wireAmount ?? `${facts.amount}.00`), currency: 'IDR' },
        latestTransactionStatus: status,
        transactionStatusDesc: failed ? DECLINED : String(status),
        createdTime: jakarta(new Date(Date.parse(eventTime) - 60_000)),
        finishedTime: jakarta(new Date(eventTime)),
      });
      const timestamp = jakarta(signedAt);
      const data = `POST:/callbacks/${wallet}:${createHash('sha256').update(body, 'utf8').digest('hex')}:${timestamp}`;
      return json(wallet, body, {
        'X-TIMESTAMP': timestamp,
        'X-SIGNATURE': sign('sha256', Buffer.from(data, 'utf8'), rsaKeyOf(secret)).toString('base64'),
        'X-PARTNER-ID': merchantId,
        'X-EXTERNAL-ID': String(signedAt.getTime()),
        'CHANNEL-ID': '95221',
      });
    }
    case 'astrapay': {
      // JSON with type "payment"; X-AstraPay-Timestamp unix s; X-AstraPay-Signature hex HMAC of `${timestamp}.${rawBody}`.
      const body = JSON.stringify({
        type: 'payment',
        merchantTransId: facts.tXid,
        paymentId: facts.providerRef,
        amount: facts.wireAmount ?? facts.amount,
        status,
        ...(failed ? { reason: DECLINED } : {}),
        eventTime,
      });
      const timestamp = String(Math.floor(signedAt.getTime() / 1000));
      return json(wallet, body, { 'X-AstraPay-Timestamp': timestamp, 'X-AstraPay-Signature': hmac(secret, `${timestamp}.${body}`, 'hex') });
    }
  }
}

function json(wallet: ForgeWallet, body: string, headers: Record<string, string>): ForgedCallback {
  return { wallet, path: `/callbacks/${wallet}`, headers: { 'Content-Type': 'application/json', ...headers }, body };
}

/** The callback with its signed content altered after signing (the signature header left as it was): `PAID` written where the wallet signed another state. */
export function tamperedToPaid(cb: ForgedCallback): ForgedCallback {
  const paid = words[cb.wallet].PAID;
  const parsed = JSON.parse(cb.body) as Record<string, unknown>;
  const snap = cb.wallet === 'dana' || cb.wallet === 'shopeepay' || cb.wallet === 'linkaja';
  parsed[snap ? 'latestTransactionStatus' : 'status'] = paid;
  return { ...cb, body: JSON.stringify(parsed) };
}

/** The callback without its signature header. */
export function unsigned(cb: ForgedCallback): ForgedCallback {
  const signatureHeader = /signature|req-h/i;
  return { ...cb, headers: Object.fromEntries(Object.entries(cb.headers).filter(([name]) => !signatureHeader.test(name))) };
}

/** POSTs the callback to the gateway at `apiUrl`; answers the HTTP status and body text. */
export async function deliver(apiUrl: string, cb: ForgedCallback, path = cb.path): Promise<{ status: number; text: string }> {
  const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: cb.headers, body: cb.body });
  return { status: res.status, text: await res.text() };
}
