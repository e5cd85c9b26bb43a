import { randomBytes } from 'node:crypto';

/**
 * The shop's AstraPay account links, in memory (a demo: forgotten when the sandbox restarts; the gateway then
 * answers `linkEnable` with the link it already has for the phone). One link per phone, as the gateway keeps one
 * per `iMid` + `billingPhone` (CONTRACT §4); the shop confirms a remembered link with `linkInquiry` before use.
 */
export interface ShopLink {
  readonly phone: string;
  readonly mandateID: string;
  /** The `referenceNo` of the `linkEnable` call that made (or returned) the link. */
  readonly linkReferenceNo: string;
  /** The order waiting for this link to become ACTIVE (the customer's cart while they register at AstraPay). */
  pendingOrder?: string;
}

const KEEP = 1000;

export class AstraPayLinkBook {
  readonly #byPhone = new Map<string, ShopLink>();
  readonly #byMandate = new Map<string, ShopLink>();

  /** Remembers the phone's link (replacing another one of the phone's), keeping a pending order if it is the same link. */
  remember(phone: string, mandateID: string, linkReferenceNo: string): ShopLink {
    const before = this.#byMandate.get(mandateID);
    const previous = this.#byPhone.get(phone);
    if (previous !== undefined && previous.mandateID !== mandateID) this.#byMandate.delete(previous.mandateID);
    const link: ShopLink = before !== undefined && before.phone === phone ? before : { phone, mandateID, linkReferenceNo };
    this.#byPhone.set(phone, link);
    this.#byMandate.set(mandateID, link);
    if (this.#byMandate.size > KEEP) {
      const oldest = this.#byMandate.values().next();
      if (oldest.done !== true) this.forget(oldest.value.mandateID);
    }
    return link;
  }

  forPhone(phone: string): ShopLink | undefined {
    return this.#byPhone.get(phone);
  }

  byMandate(mandateID: string): ShopLink | undefined {
    return this.#byMandate.get(mandateID);
  }

  /** After an unlink, or when the gateway says the link is over (FAILED, EXPIRED, DISABLED, unknown). */
  forget(mandateID: string): void {
    const link = this.#byMandate.get(mandateID);
    if (link === undefined) return;
    this.#byMandate.delete(mandateID);
    if (this.#byPhone.get(link.phone) === link) this.#byPhone.delete(link.phone);
  }
}

/** `KOPI-LINK-20260514-7F3A9C2D`: one per `linkEnable` call. */
export function newLinkReferenceNo(now = new Date()): string {
  const day = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `KOPI-LINK-${day}-${randomBytes(4).toString('hex').toUpperCase()}`;
}
