/**
 * Wallet callbacks as each wallet sends them (sandbox/README.md, "Callbacks"): every wallet is on SNAP, so each is
 * a notify signed SHA256withRSA by the wallet's key over the gateway's path; DANA's body is its own. Written
 * from the wallets' published formats only — it imports neither the sandbox's nor the gateway's signing code, since
 * in a callback test those are the other party.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';

export type ForgeWallet = 'ovo' | 'dana' | 'shopeepay' | 'linkaja' | 'astrapay';

export const forgeWallets: readonly ForgeWallet[] = ['ovo', 'dana', 'shopeepay', 'linkaja', 'astrapay'];

/** The gateway's `mitraCd` of each wallet (CONTRACT §3). */
export const mitraCdOf: Record<ForgeWallet, string> = { ovo: 'OVOE', dana: 'DANA', shopeepay: 'ESHP', linkaja: 'LINK', astrapay: 'ASTR' };

/** What a callback says, in the gateway's words; each wallet writes it in its own. */
export type ForgedState = 'PAID' | 'FAILED' | 'PENDING';

export interface CallbackFacts {
  readonly tXid: string;
  /** The wallet's own id of the payment (SNAP `referenceNo`). */
  readonly providerRef: string;
  /** Whole rupiah (the SNAP wallets' wire amount is a "15000.00" string). */
  readonly amount: number;
  readonly state: ForgedState;
  /** When the event happened at the wallet (the body's event time); default now. */
  readonly eventTime?: Date;
  /** When the wallet signed this delivery (the signed `X-TIMESTAMP`); default now. */
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

/** Each wallet's status words for our three states. */
const words: Record<ForgeWallet, Record<ForgedState, string | number>> = {
  // SNAP latestTransactionStatus: 00 success, 06 failed, 01 initiated.
  ovo: { PAID: '00', FAILED: '06', PENDING: '01' },
  dana: { PAID: '00', FAILED: '06', PENDING: '01' },
  shopeepay: { PAID: '00', FAILED: '06', PENDING: '01' },
  linkaja: { PAID: '00', FAILED: '06', PENDING: '01' },
  astrapay: { PAID: '00', FAILED: '06', PENDING: '01' },
};

const DECLINED = 'customer declined';

let stranger: KeyObject | undefined;
/** A forger's RSA key, for a SNAP notify "signed" with something that is not the wallet's key. */
function rsaKeyOf(secret: string): string | KeyObject {
  if (secret.includes('PRIVATE KEY')) return secret;
  stranger ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return stranger;
}

/** SNAP times: Jakarta, `+07:00`, whole seconds (DANA and the standard) or with milliseconds (OVO). */
const jakarta = (at: Date, milliseconds = false): string => `${new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, milliseconds ? 23 : 19)}+07:00`;

/**
 * A callback of `wallet` saying `facts`, signed with `secret`: the wallet's RSA private key, PEM (pass anything else
 * to forge a bad signature). The result can be delivered as is, or altered after signing to tamper with it.
 */
export function forgeCallback(wallet: ForgeWallet, facts: CallbackFacts, secret: string): ForgedCallback {
  const eventTime = (facts.eventTime ?? new Date()).toISOString();
  const signedAt = facts.signedAt ?? new Date();
  const status = words[wallet][facts.state];
  const failed = facts.state === 'FAILED';
  switch (wallet) {
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
    case 'ovo':
    case 'shopeepay':
    case 'linkaja':
    case 'astrapay': {
      // SNAP Direct Debit notify (service 56): the DANA-style signature by the wallet's key over the gateway's path;
      // OVO writes its times with milliseconds.
      const ms = wallet === 'ovo';
      const merchantId = { ovo: sandboxSecrets.OVO_CLIENT_ID, shopeepay: sandboxSecrets.SHOPEEPAY_CLIENT_ID, linkaja: sandboxSecrets.LINKAJA_CLIENT_ID, astrapay: sandboxSecrets.ASTRAPAY_CLIENT_ID }[wallet];
      const body = JSON.stringify({
        originalPartnerReferenceNo: facts.tXid,
        originalReferenceNo: facts.providerRef,
        merchantId,
        amount: { value: String(facts.wireAmount ?? `${facts.amount}.00`), currency: 'IDR' },
        latestTransactionStatus: status,
        transactionStatusDesc: failed ? DECLINED : String(status),
        createdTime: jakarta(new Date(Date.parse(eventTime) - 60_000), ms),
        finishedTime: jakarta(new Date(eventTime), ms),
      });
      const timestamp = jakarta(signedAt, ms);
      const data = `POST:/callbacks/${wallet}:${createHash('sha256').update(body, 'utf8').digest('hex')}:${timestamp}`;
      return json(wallet, body, {
        'X-TIMESTAMP': timestamp,
        'X-SIGNATURE': sign('sha256', Buffer.from(data, 'utf8'), rsaKeyOf(secret)).toString('base64'),
        'X-PARTNER-ID': merchantId,
        'X-EXTERNAL-ID': String(signedAt.getTime()),
        'CHANNEL-ID': '95221',
      });
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
  parsed.latestTransactionStatus = paid;
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
