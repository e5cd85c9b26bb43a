/**
 * What a wallet is to every part of the project, as data: the gateway's configuration, adapters and callback routes,
 * the OpenAPI document, the ledger and reconciliation, the sandbox's simulators, its index page and the chaos plan
 * all read it from the registry (wallets/registry.ts) rather than naming wallets themselves.
 */
export interface WalletDescriptor {
  /** NICEPAY's `mitraCd` (CONTRACT §3): 4 characters, what merchants send. */
  readonly mitraCd: string;
  /** The wallet's name as customers know it: `ShopeePay`. */
  readonly name: string;
  /** How the customer approves a payment: a push to the wallet's app, or the wallet's checkout page. */
  readonly flow: 'push' | 'redirect';
  /** Payments run on an account linked first (`linkEnable.do`, SNAP account binding), never on a bare registration. */
  readonly accountLinks: boolean;
  /** `SHOPEEPAY`: its variables are `SHOPEEPAY_BASE_URL`, `SHOPEEPAY_CLIENT_ID`… (gateway) and `SANDBOX_SHOPEEPAY_…` (sandbox). */
  readonly configPrefix: string;
  /** `shopeepay`: the gateway's `/callbacks/shopeepay`, and the sandbox's simulator at `/shopeepay`. */
  readonly callbackPath: string;
  /** The wallet's name in its ledger and settlement reports (the sandbox's `?wallet=`): `SHOPEEPAY`. */
  readonly ledgerName: string;
  /**
   * How the gateway authenticates its calls (activities/wallets/snap/profile.ts): `asymmetric` (every call
   * SHA256withRSA, DANA) or `symmetric-b2b` (a B2B token, then HMAC-SHA512: SNAP Direct Debit).
   */
  readonly snapProfile: 'asymmetric' | 'symmetric-b2b';
  /** Which of the sandbox's simulators plays the wallet (sandbox/simulators.ts). */
  readonly simulator: SimulatorSpec;
}

/**
 * The sandbox's simulator of a wallet. `snap-direct-debit` is SNAP Direct Debit as the standard has it (checkout
 * pages, the standard notify): any new SNAP wallet can be played by it with nothing but this entry.
 */
export type SimulatorSpec =
  | { readonly kind: 'ovo' }
  | { readonly kind: 'dana' }
  | { readonly kind: 'astrapay' }
  | {
      readonly kind: 'snap-direct-debit';
      /** `false`: the notify is sent once, never retried (ShopeePay). Default `true`. */
      readonly notifyRetries?: boolean;
      /** The first characters of the wallet's own reference numbers (`LA…`). */
      readonly referencePrefix?: string;
      /** The checkout page's colours; default the sandbox's purple. */
      readonly brand?: { readonly color: string; readonly dark: string; readonly soft: string };
    };
