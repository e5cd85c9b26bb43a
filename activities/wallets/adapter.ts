import type { ApprovalFlow } from '../../domain/wallets.js';

/**
 * One adapter per wallet behind this interface (STYLE: payment routers). Each maps its provider's
 * statuses to these in exactly one table. Errors: throw `WalletUnavailableError` for transport
 * failures, timeouts and 5xx (the outcome is unknown: retry or check status, never guess "failed");
 * throw `WalletRejectedError` when the provider refused the request for good (4xx with a reason).
 */
export interface WalletAdapter {
  readonly mitraCd: string;
  readonly flow: ApprovalFlow;
  /** Ask the wallet to collect the payment; idempotent on `tXid` (a retry never creates a second charge). */
  createPayment(request: CreatePaymentRequest): Promise<CreatePaymentResult>;
  checkStatus(tXid: string): Promise<WalletStatusResult>;
  /** Cancel an unpaid payment so a late approval cannot charge the customer. */
  voidPayment(tXid: string): Promise<VoidResult>;
  /** Return money for a paid payment; idempotent on `idempotencyKey` ("already refunded" is success). */
  refund(request: RefundRequest): Promise<RefundResult>;
}

export interface CreatePaymentRequest {
  readonly tXid: string;
  readonly referenceNo: string;
  readonly amount: number;
  readonly phone: string;
  readonly goodsName: string;
  readonly merchantName: string;
  /** Where the wallet's page sends the customer's browser when they are done (redirect wallets). */
  readonly returnUrl: string;
  /** Seconds the wallet should keep the request open for the customer. */
  readonly expirySeconds: number;
  /** The same deadline as an instant (ISO 8601), fixed by the workflow so every retry sends the same request. */
  readonly expiresAt: string;
  /** The customer's linked account (AstraPay): the token the wallet issued when the account was linked. Never logged. */
  readonly accountToken?: string;
}

export interface CreatePaymentResult {
  readonly providerRef: string;
  /** The wallet's checkout page, for redirect wallets. */
  readonly redirectUrl?: string;
}

/** Our view of a wallet-side payment; every adapter maps into exactly these. */
export type WalletPaymentState = 'PENDING' | 'PAID' | 'FAILED' | 'VOIDED' | 'NOT_FOUND';

export interface WalletStatusResult {
  readonly state: WalletPaymentState;
  readonly amount?: number;
  readonly providerRef?: string;
  readonly reason?: string;
}

export interface VoidResult {
  /** `ALREADY_PAID`: the customer approved before the void reached the wallet; the payment stands. */
  readonly outcome: 'VOIDED' | 'ALREADY_PAID';
}

export interface RefundRequest {
  readonly tXid: string;
  readonly amount: number;
  readonly idempotencyKey: string;
  readonly reason: string;
}

export interface RefundResult {
  readonly outcome: 'REFUNDED';
  readonly refundRef: string;
}

export interface RawCallback {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer;
}

/** A verified wallet callback, mapped to our states. */
export interface WalletCallback {
  readonly tXid: string;
  readonly state: Exclude<WalletPaymentState, 'NOT_FOUND'>;
  readonly amount: number;
  readonly providerRef: string;
  readonly reason?: string;
  /** When the wallet says the event happened (ISO 8601), to order stale callbacks. */
  readonly occurredAt?: string;
}

/**
 * Account links (AstraPay): the customer registers once on the wallet's page; payments then run on the link's
 * account token. A wallet that supports links implements this beside `WalletAdapter`.
 */
export interface AccountLinkProvider {
  /** Ask the wallet to link an account; idempotent on `mandateID` (the same request again answers the same link). */
  createLink(request: CreateLinkRequest): Promise<CreateLinkResult>;
  checkLink(mandateID: string): Promise<LinkStatusResult>;
  /** Revoke the link's token at the wallet; revoking again, or a link the wallet never had, is success. */
  revokeLink(mandateID: string): Promise<void>;
}

export interface CreateLinkRequest {
  /** The gateway's id of the link, the wallet's link request id. */
  readonly mandateID: string;
  readonly phone: string;
  readonly name: string;
  readonly email: string;
  /** Where the wallet's registration page sends the customer's browser when they are done. */
  readonly returnUrl: string;
  /** When the wallet should give up on an unregistered link (ISO 8601), fixed by the workflow. */
  readonly expiresAt: string;
}

export interface CreateLinkResult {
  readonly providerRef: string;
  /** The wallet's registration page for the customer. */
  readonly registrationUrl: string;
}

/** Our view of a wallet-side account link; `REVOKED` is the wallet's word for a link we disabled. */
export type LinkState = 'PENDING' | 'ACTIVE' | 'FAILED' | 'EXPIRED' | 'REVOKED' | 'NOT_FOUND';

export interface LinkStatusResult {
  readonly state: LinkState;
  readonly providerRef?: string;
  /** Only while `ACTIVE`. */
  readonly accountToken?: string;
  readonly reason?: string;
}

/** A verified account-link callback. */
export interface LinkCallback {
  readonly mandateID: string;
  readonly state: 'ACTIVE' | 'FAILED' | 'EXPIRED';
  readonly providerRef: string;
  /** When `ACTIVE`. */
  readonly accountToken?: string;
  readonly reason?: string;
  readonly occurredAt?: string;
}

/**
 * What verifies a wallet's callbacks: the wallet's public key and the ids it names, never the gateway's signing keys
 * (the API holds these only; the adapters, in the worker, sign). One per wallet, built by its module (wallets/).
 */
export interface CallbackVerifier {
  readonly mitraCd: string;
  /** Verify the provider's signature and parse its callback; throws `CallbackRejectedError` when it cannot be trusted. */
  parseCallback(callback: RawCallback): WalletCallback;
  /**
   * A wallet with account links: verify and parse a callback when it is about a link; `undefined` when the (verified)
   * callback is about a payment (then `parseCallback` reads it).
   */
  parseLinkCallback?(callback: RawCallback): LinkCallback | undefined;
  /** The body the wallet expects when its callback is taken (SNAP: `2005600`); absent: the gateway's own `{"status":"OK"}`. */
  readonly callbackAcknowledgement?: Readonly<Record<string, string>>;
}

export function isAccountLinkProvider<A extends WalletAdapter>(adapter: A): adapter is A & AccountLinkProvider {
  return typeof (adapter as Partial<AccountLinkProvider>).createLink === 'function';
}

export class WalletUnavailableError extends Error {
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
  }
}

export class WalletRejectedError extends Error {
  constructor(message: string, readonly reason: string) {
    super(message);
  }
}

export class CallbackRejectedError extends Error {
  constructor(message: string, readonly httpStatus: 400 | 401 = 401) {
    super(message);
  }
}
