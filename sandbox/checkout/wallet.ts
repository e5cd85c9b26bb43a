import express, { type Router } from 'express';
import type { SimulatorDeps } from '../magic-payments.js';
import { createCheckoutPagesRouter, type CheckoutPagesOptions } from './pages.js';
import type { CheckoutState } from './schemas.js';
import { CheckoutSimulator, type CheckoutWalletSpec } from './simulator.js';

/** What every redirect wallet module is built from. */
export interface RedirectWalletDeps extends SimulatorDeps {
  /** Aborted on close, so an injected latency does not hold shutdown. */
  readonly signal: AbortSignal;
  /** The wallet's slice of the state file. */
  readonly initial?: CheckoutState | undefined;
}

/** A redirect wallet: its simulator (state, callbacks), its router (API + checkout pages, mounted at `/<key>`), its state slice. */
export interface RedirectWallet<S extends CheckoutState = CheckoutState> {
  readonly simulator: CheckoutSimulator;
  readonly router: Router;
  toJSON(): S;
}

/**
 * Puts a redirect wallet together from what is its own: its spec (ids, callbacks), its API routers (path → router,
 * e.g. `/v1.0`), its brand and browser return; the checkout pages at `/checkout` are the shared ones.
 */
export function redirectWallet(o: {
  readonly spec: CheckoutWalletSpec;
  readonly deps: RedirectWalletDeps;
  readonly api: (simulator: CheckoutSimulator) => Readonly<Record<string, Router>>;
  readonly brand: CheckoutPagesOptions['brand'];
  readonly returnUrl: CheckoutPagesOptions['returnUrl'];
}): RedirectWallet {
  const simulator = new CheckoutSimulator(o.spec, o.deps);
  const router = express.Router();
  for (const [path, api] of Object.entries(o.api(simulator))) router.use(path, api);
  router.use('/checkout', createCheckoutPagesRouter({ simulator, brand: o.brand, returnUrl: o.returnUrl }));
  return { simulator, router, toJSON: () => simulator.toJSON() };
}

/** `url` with the wallet's own query parameters appended; the merchant's URL is otherwise kept as it was given. */
export function withQuery(url: string, params: Readonly<Record<string, string>>): string {
  const hash = url.indexOf('#');
  const [base, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${new URLSearchParams(params).toString()}${fragment}`;
}

/** `length` random decimal digits, the first one not 0 (wallet ids such as ShopeePay's referenceNo). */
export function randomDigits(length: number): string {
  let digits = String(1 + Math.floor(Math.random() * 9));
  while (digits.length < length) digits += String(Math.floor(Math.random() * 10));
  return digits;
}
