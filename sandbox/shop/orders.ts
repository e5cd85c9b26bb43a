import { randomBytes } from 'node:crypto';
import type { Cart, ShopWallet } from './catalog.js';

export interface Order {
  readonly referenceNo: string;
  readonly cart: Cart;
  readonly amt: number;
  readonly wallet: ShopWallet;
  /** The customer's phone (`billingPhone`), as the shop normalised it. */
  readonly phone: string;
  readonly createdAt: string;
  /** Set once the gateway registered the order (for AstraPay: once `linkInitiate` accepted it). */
  tXid?: string;
  /** AstraPay: the account link the order was paid with. */
  mandateID?: string;
}

const KEEP = 1000;

/**
 * The shop's order book, in memory (a demo: orders are forgotten when the sandbox restarts; the result page then
 * still asks the gateway, which knows the transaction).
 */
export class OrderBook {
  readonly #byReference = new Map<string, Order>();

  create(input: Omit<Order, 'referenceNo' | 'createdAt'>): Order {
    const order: Order = { ...input, referenceNo: newReferenceNo(), createdAt: new Date().toISOString() };
    this.#byReference.set(order.referenceNo, order);
    if (this.#byReference.size > KEEP) {
      const oldest = this.#byReference.keys().next();
      if (oldest.done !== true) this.#byReference.delete(oldest.value);
    }
    return order;
  }

  find(referenceNo: string): Order | undefined {
    return this.#byReference.get(referenceNo);
  }
}

/** `KOPI-20260514-7F3A9C2D`: unique per order (the gateway accepts a referenceNo once per merchant). */
function newReferenceNo(): string {
  const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `KOPI-${day}-${randomBytes(4).toString('hex').toUpperCase()}`;
}
