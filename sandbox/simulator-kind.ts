import type { Router } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { SimulatorSpec, WalletDescriptor } from '../wallets/descriptor.js';
import type { CheckoutBrand } from './checkout/pages.js';
import type { CheckoutState } from './checkout/schemas.js';
import type { RedirectWallet, RedirectWalletDeps } from './checkout/wallet.js';
import type { CallbackSource, WaitingCustomers } from './control.js';

/** One wallet as the sandbox plays it, whatever its simulator. */
export interface WalletSimulator {
  readonly descriptor: WalletDescriptor;
  /** Mounted at `/<callbackPath>`: the wallet's API and its customer's pages. */
  readonly router: Router;
  readonly callbackSources: readonly CallbackSource[];
  /** What `POST /sandbox/customers/approve` answers for: a push wallet's customers waiting in its app. */
  readonly customers: readonly WaitingCustomers[];
  /** Picks up the saved state: expiries, magic customers, undelivered callbacks. */
  resume(): void;
  /** Ends callbacks in flight (undelivered ones resume on the next start). */
  close(): Promise<void>;
  /** The wallet's slice of the state file, which its kind alone reads back. */
  toJSON(): unknown;
}

/** What every simulator is built from; aborted `signal` ends injected latencies on close. */
export type WalletSimulatorDeps = Omit<RedirectWalletDeps, 'initial'>;

/** The index page's entry of a wallet. */
export interface SimulatorPage {
  readonly description: string;
  readonly links: readonly { readonly label: string; readonly href: string }[];
  /** The merchant API, one line per call, with how calls authenticate; absent: not listed. */
  readonly api?: { readonly auth: string; readonly calls: readonly string[] };
}

/** One of the sandbox's simulators (the descriptor's `simulator.kind`): it plays any wallet whose descriptor names it. */
export interface SimulatorKind {
  /** The wallet's colours: its pages, its index card, its button in the shop. */
  brand(d: WalletDescriptor): CheckoutBrand;
  page(d: WalletDescriptor): SimulatorPage;
  /** `slice`: what the state file holds for the wallet (anything: the kind parses it, see `parseSlice`). */
  create(d: WalletDescriptor, deps: WalletSimulatorDeps, slice: unknown): WalletSimulator;
}

/** The sandbox's purple, for a wallet whose descriptor names no colours. */
export const sandboxPurple = { color: '#4C3494', dark: '#3A2772', soft: '#EFEBF7' } as const;

/** The descriptor's options of a `snap-direct-debit` simulator (none for other kinds). */
export function directDebitOptions(d: WalletDescriptor): Omit<Extract<SimulatorSpec, { kind: 'snap-direct-debit' }>, 'kind'> {
  return d.simulator.kind === 'snap-direct-debit' ? d.simulator : {};
}

/**
 * The wallet's slice of the state file, or `undefined` (a fresh start) when there is none or it does not parse: a
 * slice written by another simulator, or before a change of its schema. Pre-1.0, state is not migrated; the warning
 * says what was dropped.
 */
export function parseSlice<T>(schema: z.ZodType<T>, slice: unknown, d: WalletDescriptor, logger: Logger): T | undefined {
  if (slice === undefined) return undefined;
  const parsed = schema.safeParse(slice);
  if (parsed.success) return parsed.data;
  const problem = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  logger.warn({ wallet: d.ledgerName, problem }, "sandbox state: the wallet's saved state does not parse; it starts afresh");
  return undefined;
}

/** A wallet on the redirect-checkout core (one simulator): `push` when its customers answer in its app. */
export function checkoutWalletSimulator<S extends CheckoutState>(d: WalletDescriptor, wallet: RedirectWallet<S>, push = false): WalletSimulator {
  const { simulator } = wallet;
  return {
    descriptor: d,
    router: wallet.router,
    callbackSources: [simulator],
    customers: push ? [simulator] : [],
    resume: () => simulator.resume(),
    close: () => simulator.close(),
    toJSON: () => wallet.toJSON(),
  };
}
