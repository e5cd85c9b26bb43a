import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { CallbackDispatcher, type CallbackDelivery, type CallbackState } from '../callback-dispatcher.js';
import type { Replayable } from '../checkout/simulator.js';
import { linkMagicOutcome } from '../magic-values.js';
import type { SimulatorDeps } from '../magic-payments.js';
import { maskPhone } from '../mask.js';
import { PHONE_PATTERN } from '../phone.js';
import { SnapError } from '../snap/reply.js';
import { jakartaTime } from '../snap/time.js';
import type { AstraPayLink, LinkStatus } from './schemas.js';

/** The link create call, in the simulator's words. */
export interface NewLink {
  readonly linkRequestId: string;
  readonly phone: string;
  readonly name: string;
  readonly email: string;
  readonly returnUrl: string;
  readonly expiresAt: string;
}

export interface AstraPayLinksDeps extends SimulatorDeps {
  readonly initial?: { readonly links: readonly AstraPayLink[]; readonly linkCallbacks: CallbackState } | undefined;
  /** The notify's signature headers (SNAP, the same as the payments'). */
  readonly sign: (rawBody: string, timestampMs: number, url: string) => Record<string, string>;
  /** The one merchant the wallet serves: the `merchantId` of its binding notifies. */
  readonly merchantId: string;
  /** The wallet's ledger name (faults, logs) and callbackPath (notifies to `/callbacks/<callbackPath>`, timer keys). */
  readonly wallet: string;
  readonly callbackPath: string;
}

export type RegistrationResult = 'done' | 'gone' | 'not-found';

export const LINK_REASONS = {
  validation: 'account validation failed',
  cancelled: 'cancelled by the customer',
  expired: 'the customer did not register in time',
  revoked: 'revoked by the merchant',
} as const;

/**
 * AstraPay's account links: the gateway asks for one, the customer registers on AstraPay's page (or a link magic
 * value acts, CONTRACT §6: 000 ACTIVE, 001 FAILED, 002 abandons), AstraPay calls the gateway back on ACTIVE,
 * FAILED and EXPIRED; an ACTIVE link's `accountToken` pays (checkout core) until the link is revoked.
 */
export class AstraPayLinks {
  readonly #d: AstraPayLinksDeps;
  readonly #links = new Map<string, AstraPayLink>();
  readonly #byLinkId = new Map<string, AstraPayLink>();
  readonly #callbacks: CallbackDispatcher;
  /** Timer keys: `<callbackPath>:link:auto:<id>`, `…:expire:<id>`. */
  readonly #timer: string;

  constructor(deps: AstraPayLinksDeps) {
    this.#d = deps;
    this.#timer = `${deps.callbackPath}:link`;
    for (const l of deps.initial?.links ?? []) this.#add(l);
    this.#callbacks = new CallbackDispatcher({
      wallet: deps.wallet,
      url: `${deps.config.gatewayBaseUrl}/callbacks/${deps.callbackPath}`,
      gatewayPublicUrl: deps.config.gatewayPublicUrl,
      sign: deps.sign,
      timers: deps.timers,
      faults: () => deps.faults.for(deps.wallet),
      logger: deps.logger,
      onChange: deps.onChange,
      ...(deps.initial !== undefined ? { initial: deps.initial.linkCallbacks } : {}),
    });
  }

  /** A new link, or the reply already given for the same `linkRequestId` with the same request; other content → 409xx01. */
  create<R>(input: NewLink, request: unknown, reply: (l: AstraPayLink) => R): Replayable<R> {
    const previous = this.#links.get(input.linkRequestId);
    if (previous !== undefined) {
      if (!isDeepStrictEqual(previous.request, request)) throw new SnapError('duplicate', 'Duplicate partnerReferenceNo', 409, '01', 'partnerReferenceNo');
      return { replayed: true, reply: previous.reply as R };
    }
    if (!PHONE_PATTERN.test(input.phone)) throw new SnapError('invalid-phone', 'Invalid Field Format phoneNo', 400, '01', 'phoneNo');
    const now = new Date().toISOString();
    const link: AstraPayLink = { ...input, linkId: this.#newLinkId(), status: 'PENDING', createdAt: now, updatedAt: now, autoActionDone: false, request, reply: undefined };
    link.reply = reply(link);
    this.#add(link);
    this.#d.onChange();
    this.#log().info({ ...logFields(link), magic: linkMagicOutcome(link.phone)?.suffix ?? 'manual' }, 'account link created');
    this.#arm(link);
    return { replayed: false, reply: link.reply as R };
  }

  /** The link of a link request (expired first if overdue); 404xx01 when there is none. */
  find(linkRequestId: string): Readonly<AstraPayLink> {
    const link = this.#current(this.#links.get(linkRequestId));
    if (link === undefined) throw notFound();
    return link;
  }

  /** The link a refresh token belongs to (expired first if overdue); 404xx01 when there is none. */
  byRefreshToken(refreshToken: string): Readonly<AstraPayLink> {
    for (const l of this.#links.values()) if (l.refreshToken === refreshToken) return this.find(l.linkRequestId);
    throw notFound();
  }

  /** The link behind a registration page (expired first if overdue). */
  byLinkId(linkId: string): Readonly<AstraPayLink> | undefined {
    return this.#current(this.#byLinkId.get(linkId));
  }

  /** The ACTIVE link an account token belongs to, or `undefined` (unknown, revoked, not active). */
  activeByToken(accountToken: string): Readonly<AstraPayLink> | undefined {
    for (const l of this.#links.values()) if (l.accountToken === accountToken && l.status === 'ACTIVE') return l;
    return undefined;
  }

  /** The merchant unlinks: any link becomes REVOKED (idempotent); its token stops paying. No callback. */
  revoke(linkRequestId: string): Readonly<AstraPayLink> {
    const link = this.#links.get(linkRequestId);
    if (link === undefined) throw notFound();
    if (link.status !== 'REVOKED') {
      this.#transition(link, 'REVOKED', LINK_REASONS.revoked);
      this.#customerDone(link);
      this.#log().info(logFields(link), 'account link revoked');
    }
    return link;
  }

  /** A person registers on the page with `phone` and `name` (the OTP already checked). Only a PENDING link. */
  register(linkId: string, phone: string, name: string): RegistrationResult {
    const link = this.#current(this.#byLinkId.get(linkId));
    if (link === undefined) return 'not-found';
    if (link.status !== 'PENDING') return 'gone';
    link.accountPhone = phone;
    link.name = name;
    this.#customerDone(link);
    if (linkMagicOutcome(link.phone)?.action === 'fail-validation') this.#finish(link, 'FAILED', LINK_REASONS.validation);
    else this.#activate(link);
    return 'done';
  }

  /** A person presses Cancel on the page. */
  cancel(linkId: string): RegistrationResult {
    const link = this.#current(this.#byLinkId.get(linkId));
    if (link === undefined) return 'not-found';
    if (link.status !== 'PENDING') return 'gone';
    this.#customerDone(link);
    this.#finish(link, 'FAILED', LINK_REASONS.cancelled);
    return 'done';
  }

  /** After a restart: expire what is overdue, re-arm expiry and the magic customers, resume callbacks. */
  resume(): void {
    for (const link of this.#links.values()) {
      this.#expireIfOverdue(link, Date.now());
      if (link.status !== 'PENDING') continue;
      this.#scheduleExpiry(link);
      if (!link.autoActionDone) this.#scheduleAuto(link, Math.max(Date.parse(link.createdAt), Date.now()) + this.#d.config.approveDelayMs);
    }
    this.#callbacks.resume();
  }

  async close(): Promise<void> {
    await this.#callbacks.close();
  }

  callbackDeliveries(filter: { merchantInvoice?: string } = {}): CallbackDelivery[] {
    return this.#callbacks.deliveries(filter);
  }

  toJSON(): { links: AstraPayLink[]; linkCallbacks: CallbackState } {
    return { links: [...this.#links.values()], linkCallbacks: this.#callbacks.toJSON() };
  }

  #add(link: AstraPayLink): void {
    this.#links.set(link.linkRequestId, link);
    this.#byLinkId.set(link.linkId, link);
  }

  #newLinkId(): string {
    for (;;) {
      const id = `AL${randomBytes(8).toString('hex').toUpperCase()}`;
      if (!this.#byLinkId.has(id)) return id;
    }
  }

  #current(link: AstraPayLink | undefined): AstraPayLink | undefined {
    if (link !== undefined) this.#expireIfOverdue(link, Date.now());
    return link;
  }

  #arm(link: AstraPayLink): void {
    this.#scheduleExpiry(link);
    this.#scheduleAuto(link, Date.now() + this.#d.config.approveDelayMs);
  }

  #scheduleAuto(link: AstraPayLink, when: number): void {
    const action = linkMagicOutcome(link.phone)?.action;
    if (action !== 'activate' && action !== 'fail-validation') return;
    this.#d.timers.at(`${this.#timer}:auto:${link.linkRequestId}`, when, () => {
      this.#customerDone(link);
      if (link.status !== 'PENDING') return;
      if (action === 'activate') this.#activate(link);
      else this.#finish(link, 'FAILED', LINK_REASONS.validation);
    });
  }

  #scheduleExpiry(link: AstraPayLink): void {
    this.#d.timers.at(`${this.#timer}:expire:${link.linkRequestId}`, Date.parse(link.expiresAt), () => this.#expireIfOverdue(link, Date.now()));
  }

  #expireIfOverdue(link: AstraPayLink, now: number): void {
    if (link.status !== 'PENDING' || now < Date.parse(link.expiresAt)) return;
    this.#customerDone(link);
    this.#finish(link, 'EXPIRED', LINK_REASONS.expired);
  }

  #customerDone(link: AstraPayLink): void {
    this.#d.timers.cancel(`${this.#timer}:auto:${link.linkRequestId}`);
    if (!link.autoActionDone) {
      link.autoActionDone = true;
      this.#d.onChange();
    }
  }

  #activate(link: AstraPayLink): void {
    link.accountPhone ??= link.phone;
    link.accountToken = `APT-${randomBytes(16).toString('hex')}`;
    link.refreshToken = `APR-${randomBytes(16).toString('hex')}`;
    this.#finish(link, 'ACTIVE', undefined);
  }

  /** A PENDING link's outcome, with its callback. */
  #finish(link: AstraPayLink, status: 'ACTIVE' | 'FAILED' | 'EXPIRED', reason: string | undefined): void {
    this.#transition(link, status, reason);
    this.#log().info({ ...logFields(link), ...(reason !== undefined ? { reason } : {}) }, 'account link finished');
    // SNAP has no binding notify of its own: the binding's fields (and its tokens, as the B2B2C token answer names
    // them), its status in additionalInfo, signed as a SNAP notify.
    const body = {
      partnerReferenceNo: link.linkRequestId,
      referenceNo: link.linkId,
      merchantId: this.#d.merchantId,
      ...(status === 'ACTIVE' ? { accessToken: link.accountToken, tokenType: 'Bearer', refreshToken: link.refreshToken } : {}),
      additionalInfo: { mitraCd: 'ASTR', bindingStatus: status, ...(reason !== undefined ? { reason } : {}) },
      finishedTime: jakartaTime(link.updatedAt),
    };
    this.#callbacks.enqueue(link.linkRequestId, status, body);
  }

  #transition(link: AstraPayLink, status: LinkStatus, reason: string | undefined): void {
    link.status = status;
    if (reason === undefined) delete link.reason;
    else link.reason = reason;
    link.updatedAt = new Date().toISOString();
    if (status !== 'PENDING') this.#d.timers.cancel(`${this.#timer}:expire:${link.linkRequestId}`);
    this.#d.onChange();
  }

  #log() {
    return this.#d.logger.child({ wallet: this.#d.wallet });
  }
}

function notFound(): SnapError {
  return new SnapError('not-found', 'Binding Not Found', 404, '01');
}

function logFields(link: AstraPayLink): Record<string, string> {
  return { linkRequestId: link.linkRequestId, linkId: link.linkId, phoneMasked: maskPhone(link.phone), status: link.status };
}
