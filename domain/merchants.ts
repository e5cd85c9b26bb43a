import { defaultWallets } from '../wallets/registry.js';

export interface Merchant {
  readonly iMid: string;
  readonly merchantKey: string;
  readonly name: string;
  /** Wallets this merchant may use; others answer 9012. */
  readonly mitraCds: readonly string[];
  /** When set, notifications go to these host names only (exact match; domain/public-address.ts). */
  readonly notifyHosts?: readonly string[];
}

/** NICEPAY's public sandbox merchant (CONTRACT §2): published credentials, never a production secret. */
export const sandboxMerchant: Merchant = Object.freeze({
  iMid: 'IONPAYTEST',
  merchantKey: '33F49GnCMS1mFYlGXisbUDzVf2ATWCl9k3R++d5hDd3Frmuos/XLx8XhXpe+LDYAbpGKZYSwtlyyLOtS/8aD7A==',
  name: 'IONPAY Test Merchant',
  /** Every wallet of the registry; a configuration with more wallets gives it those too (domain/config.ts). */
  mitraCds: defaultWallets.map((w) => w.mitraCd),
});

export class MerchantDirectory {
  readonly #byIMid: ReadonlyMap<string, Merchant>;

  constructor(merchants: readonly Merchant[]) {
    this.#byIMid = new Map(merchants.map((m) => [m.iMid, m]));
  }

  find(iMid: string): Merchant | undefined {
    return this.#byIMid.get(iMid);
  }

  iMids(): IterableIterator<string> {
    return this.#byIMid.keys();
  }
}
