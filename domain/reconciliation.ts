/**
 * Daily reconciliation (issue 14): the gateway's final states against each wallet's own book of charges and
 * refunds. Pure (no I/O, no clock): the workflow imports it, the activities gather its inputs.
 */
import { PaymentStatus } from './payment-status.js';

/** A payment as the gateway knows it (its workflow's `PaymentView`, reduced to what money depends on). */
export interface GatewayPaymentRecord {
  readonly tXid: string;
  readonly iMid: string;
  readonly mitraCd: string;
  readonly status: PaymentStatus;
  /** Integer rupiah. */
  readonly amt: number;
  /** Total refunded so far (integer rupiah). */
  readonly cancelAmt: number;
  /** When the payment was registered (its workflow's start), ISO 8601; informational. */
  readonly startedAt?: string;
}

/** One money movement at a wallet. `merchantInvoice` is the gateway's tXid. */
export interface WalletLedgerEntry {
  /** The wallet's own name in its ledger or settlement report (its registry entry's `ledgerName`). */
  readonly wallet: string;
  /** The gateway's code of that wallet, set by the ledger source; absent for a wallet the gateway does not know. */
  readonly mitraCd?: string;
  readonly type: 'charge' | 'refund';
  readonly merchantInvoice: string;
  /** Integer rupiah. */
  readonly amount: number;
  /** ISO 8601. */
  readonly at: string;
}

/** The window whose payments are checked: registrations started in [from, to). ISO 8601. */
export interface ReconciliationWindow {
  readonly from: string;
  readonly to: string;
}

export type ReconciliationProblem =
  | 'charged-but-not-paid'
  | 'paid-but-not-charged'
  | 'refund-mismatch'
  | 'charged-twice'
  | 'unknown-to-gateway'
  | 'amount-mismatch';

export interface WalletSide {
  /** Sum of charges (integer rupiah). */
  readonly charged: number;
  /** Sum of refunds (integer rupiah). */
  readonly refunded: number;
  /** Number of charges. */
  readonly charges: number;
}

export interface ReconciliationDifference {
  readonly tXid: string;
  readonly mitraCd?: string;
  readonly problem: ReconciliationProblem;
  /** What the gateway says; absent for `unknown-to-gateway`. */
  readonly gateway?: { readonly status: PaymentStatus; readonly amt: number; readonly cancelAmt: number; readonly iMid: string };
  readonly wallet: WalletSide;
  readonly detail: string;
}

export interface ReconciliationReport {
  readonly from: string;
  readonly to: string;
  /** Gateway payments examined, pending ones included. */
  readonly checked: number;
  /** Not final yet (3 unpaid, 4 processing, 9 initiated): skipped. */
  readonly pending: number;
  /** Final, and the wallet's book agrees. */
  readonly matched: number;
  readonly differences: readonly ReconciliationDifference[];
}

/** The failure type of a worker that cannot reconcile (no Temporal client or ledger given to its activities). */
export const ReconciliationNotConfigured = 'ReconciliationNotConfigured';
/** The failure type of a run asked for a window that is none (margin not below the lookback, a time that is not one). */
export const InvalidReconciliationWindow = 'InvalidReconciliationWindow';

/** What a payment's money at its wallet must be, by the gateway's word; undefined while it is not final. */
export function expectedAtWallet(p: GatewayPaymentRecord): { charged: number; refunded: number } | undefined {
  switch (p.status) {
    case PaymentStatus.Paid:
      return { charged: p.amt, refunded: p.cancelAmt };
    case PaymentStatus.Refund:
      return { charged: p.amt, refunded: p.amt };
    case PaymentStatus.Void:
    case PaymentStatus.Expired:
    case PaymentStatus.Failed:
      // Nothing charged, unless the gateway refunded a charge it did not accept (a late charge: cancelAmt = amt;
      // a charge of another amount: cancelAmt = that amount): then charged and refunded that much.
      return { charged: p.cancelAmt, refunded: p.cancelAmt };
    default:
      return undefined;
  }
}

/**
 * Compares the gateway's payments with the wallets' ledgers.
 *
 * - `payments`: every gateway payment to check: those registered in the window, plus any registered earlier whose
 *   money moved in the window (the workflow looks those up, so their movements are not "unknown"). Each is checked
 *   against all of its entries in `ledger`, whatever their time.
 * - `ledger`: the wallets' movements from `window.from` up to the time of the run (so a payment registered just
 *   before `window.to` and charged after it is seen whole), plus the whole history of the earlier payments.
 * - A movement in [from, to) whose tXid no given payment has at that wallet is `unknown-to-gateway`; unknown
 *   movements outside the window belong to the runs before or after this one and are left to them.
 *
 * One difference per payment (the most telling problem; `detail` says the rest), one per unknown tXid and wallet.
 */
export function reconcile(
  payments: readonly GatewayPaymentRecord[],
  ledger: readonly WalletLedgerEntry[],
  window: ReconciliationWindow,
): ReconciliationReport {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const byKey = ledgerByPayment(ledger);

  const seen = new Set<string>();
  const differences: ReconciliationDifference[] = [];
  let pending = 0;
  let matched = 0;
  for (const p of payments) {
    const key = ledgerKey(p.mitraCd, p.tXid);
    if (seen.has(key)) continue; // the same payment given twice (in the window and looked up) counts once
    seen.add(key);
    const expected = expectedAtWallet(p);
    if (expected === undefined) {
      pending++;
      continue;
    }
    const difference = comparePayment(p, expected, byKey.get(key) ?? []);
    if (difference) differences.push(difference);
    else matched++;
  }

  for (const [key, entries] of byKey) {
    if (seen.has(key)) continue;
    const inWindow = entries.filter((e) => {
      const at = Date.parse(e.at);
      return at >= from && at < to;
    });
    const first = inWindow[0];
    if (first === undefined) continue;
    const wallet = sumUp(inWindow);
    differences.push({
      tXid: first.merchantInvoice,
      ...(first.mitraCd !== undefined ? { mitraCd: first.mitraCd } : {}),
      problem: 'unknown-to-gateway',
      wallet,
      detail: `${first.wallet} ${describeWallet(wallet)} for a transaction the gateway has no payment of at this wallet`,
    });
  }

  return { from: window.from, to: window.to, checked: seen.size, pending, matched, differences };
}

/** Counts of differences by problem, for logs and summaries (no transaction data). */
export function countByProblem(report: ReconciliationReport): Partial<Record<ReconciliationProblem, number>> {
  const counts: Partial<Record<ReconciliationProblem, number>> = {};
  for (const d of report.differences) counts[d.problem] = (counts[d.problem] ?? 0) + 1;
  return counts;
}

function comparePayment(
  p: GatewayPaymentRecord,
  expected: { charged: number; refunded: number },
  entries: readonly WalletLedgerEntry[],
): ReconciliationDifference | undefined {
  const wallet = sumUp(entries);
  const problem = problemOf(expected, wallet);
  if (problem === undefined) return undefined;
  return {
    tXid: p.tXid,
    mitraCd: p.mitraCd,
    problem,
    gateway: { status: p.status, amt: p.amt, cancelAmt: p.cancelAmt, iMid: p.iMid },
    wallet,
    detail:
      `gateway: status ${p.status}, amt ${p.amt}, cancelAmt ${p.cancelAmt} (expects charged ${expected.charged}, ` +
      `refunded ${expected.refunded}); ${entries[0]?.wallet ?? p.mitraCd}: ${describeWallet(wallet)}`,
  };
}

function problemOf(expected: { charged: number; refunded: number }, wallet: WalletSide): ReconciliationProblem | undefined {
  if (expected.charged === 0 && wallet.charges > 0) return 'charged-but-not-paid';
  if (expected.charged > 0 && wallet.charges === 0) return 'paid-but-not-charged';
  if (wallet.charges > 1) return 'charged-twice';
  if (wallet.charged !== expected.charged) return 'amount-mismatch';
  if (wallet.refunded !== expected.refunded) return 'refund-mismatch';
  return undefined;
}

function sumUp(entries: readonly WalletLedgerEntry[]): WalletSide {
  let charged = 0;
  let refunded = 0;
  let charges = 0;
  for (const e of entries) {
    if (e.type === 'charge') {
      charged += e.amount;
      charges++;
    } else {
      refunded += e.amount;
    }
  }
  return { charged, refunded, charges };
}

function describeWallet(w: WalletSide): string {
  if (w.charges === 0 && w.refunded === 0) return 'nothing charged';
  const charges = w.charges === 1 ? `charged ${w.charged}` : `charged ${w.charged} in ${w.charges} charges`;
  return w.refunded > 0 ? `${charges}, refunded ${w.refunded}` : charges;
}

/** The ledger's movements by payment (`ledgerEntryKey`). */
export function ledgerByPayment(ledger: readonly WalletLedgerEntry[]): Map<string, WalletLedgerEntry[]> {
  const byKey = new Map<string, WalletLedgerEntry[]>();
  for (const e of ledger) {
    const key = ledgerEntryKey(e);
    const list = byKey.get(key);
    if (list) list.push(e);
    else byKey.set(key, [e]);
  }
  return byKey;
}

/** A payment at its wallet: the gateway's mitraCd and the tXid. */
export function ledgerKey(mitraCd: string, merchantInvoice: string): string {
  return `${mitraCd}\u0000${merchantInvoice}`;
}

/** A ledger entry's payment; an entry of a wallet the gateway does not know can match no payment. */
export function ledgerEntryKey(e: WalletLedgerEntry): string {
  return e.mitraCd !== undefined ? ledgerKey(e.mitraCd, e.merchantInvoice) : `?${e.wallet}\u0000${e.merchantInvoice}`;
}
