import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countByProblem,
  ledgerEntryKey,
  ledgerKey,
  reconcile,
  type GatewayPaymentRecord,
  type ReconciliationReport,
  type WalletLedgerEntry,
} from '../../domain/reconciliation.js';
import { PaymentStatus } from '../../domain/payment-status.js';
import { paymentWorkflowId, refundWorkflowId } from '../../domain/tx-id.js';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { PaymentSearch } from '../../workflows/search-attributes.js';
import { createReconciliationActivities } from '../../activities/reconciliation.js';
import { SandboxLedgerSource } from '../../activities/wallet-ledger.js';
import { defaultWallets } from '../../wallets/registry.js';

const window = { from: '2025-03-01T17:00:00.000Z', to: '2025-03-02T17:00:00.000Z' };
const inside = '2025-03-02T03:00:00.000Z';

const allMitraCds = defaultWallets.map((w) => w.mitraCd);
/** The registry's ledger name of each wallet: what a ledger source names the entries it gives the mitraCd of. */
const ledgerNameOf = new Map(defaultWallets.map((w) => [w.mitraCd, w.ledgerName]));

let serial = 0;
function payment(status: PaymentStatus, over: Partial<GatewayPaymentRecord> = {}): GatewayPaymentRecord {
  serial++;
  return { tXid: `IONPAYTEST05TX${String(serial).padStart(14, '0')}`, iMid: 'IONPAYTEST', mitraCd: 'OVOE', status, amt: 15000, cancelAmt: 0, ...over };
}

/** A movement of `p`'s money at its wallet, as a ledger source gives it: the ledger's name and the gateway's mitraCd. */
function entry(p: Pick<GatewayPaymentRecord, 'tXid' | 'mitraCd'>, type: 'charge' | 'refund', amount: number, at = inside): WalletLedgerEntry {
  return { wallet: ledgerNameOf.get(p.mitraCd) ?? assert.fail(`no wallet ${p.mitraCd}`), mitraCd: p.mitraCd, type, merchantInvoice: p.tXid, amount, at };
}

function only(report: ReconciliationReport) {
  assert.equal(report.differences.length, 1, JSON.stringify(report.differences));
  const [d] = report.differences;
  assert.ok(d);
  return d;
}

describe('reconcile', () => {
  test('every wallet of the registry has a ledger name of its own (what the ledger sources map to mitraCds)', () => {
    assert.deepEqual(Object.fromEntries(ledgerNameOf), { OVOE: 'OVO', DANA: 'DANA', ESHP: 'SHOPEEPAY', LINK: 'LINKAJA', ASTR: 'ASTRAPAY' });
    assert.equal(new Set(ledgerNameOf.values()).size, allMitraCds.length);
  });

  test('payments and entries meet on mitraCd and tXid; an entry of a wallet the gateway does not know meets none', () => {
    assert.equal(ledgerEntryKey({ wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: 'T1', amount: 1, at: inside }), ledgerKey('OVOE', 'T1'));
    assert.notEqual(ledgerKey('OVOE', 'T1'), ledgerKey('DANA', 'T1'));
    // Without a mitraCd, whatever its wallet is called (even a gateway code), the entry is no payment's.
    for (const wallet of ['OVO', 'OVOE', 'GOPAY', '']) {
      const key = ledgerEntryKey({ wallet, type: 'charge', merchantInvoice: 'T1', amount: 1, at: inside });
      for (const m of allMitraCds) assert.notEqual(key, ledgerKey(m, 'T1'), `${wallet} vs ${m}`);
    }
  });

  test('a clean match for every final status, each wallet, partial refund, late-charge and other-amount refunds included', () => {
    const paid = allMitraCds.map((mitraCd) => payment(PaymentStatus.Paid, { mitraCd }));
    const partial = payment(PaymentStatus.Paid, { mitraCd: 'DANA', cancelAmt: 5000 });
    const refunded = payment(PaymentStatus.Refund, { mitraCd: 'ESHP', cancelAmt: 15000 });
    const voided = payment(PaymentStatus.Void);
    const expired = payment(PaymentStatus.Expired, { mitraCd: 'LINK' });
    const failed = payment(PaymentStatus.Failed, { mitraCd: 'ASTR' });
    const lateRefunded = payment(PaymentStatus.Expired, { mitraCd: 'DANA', cancelAmt: 15000 });
    const lateRefundedFailed = payment(PaymentStatus.Failed, { cancelAmt: 15000 });
    // The wallet charged another amount (14000): the gateway refunded that charge and failed the payment.
    const otherAmountRefunded = payment(PaymentStatus.Failed, { mitraCd: 'ESHP', cancelAmt: 14000 });
    const ledger = [
      ...paid.map((p) => entry(p, 'charge', 15000)),
      entry(partial, 'charge', 15000),
      entry(partial, 'refund', 5000),
      entry(refunded, 'charge', 15000),
      entry(refunded, 'refund', 10000),
      entry(refunded, 'refund', 5000, '2025-03-02T18:00:00.000Z'), // after the window: still this payment's
      entry(lateRefunded, 'charge', 15000),
      entry(lateRefunded, 'refund', 15000),
      entry(lateRefundedFailed, 'charge', 15000),
      entry(lateRefundedFailed, 'refund', 15000),
      entry(otherAmountRefunded, 'charge', 14000),
      entry(otherAmountRefunded, 'refund', 14000),
    ];
    const report = reconcile([...paid, partial, refunded, voided, expired, failed, lateRefunded, lateRefundedFailed, otherAmountRefunded], ledger, window);
    assert.deepEqual(report, { ...window, checked: 13, pending: 0, matched: 13, differences: [] });
  });

  test('pending payments (3, 4, 9) are counted and skipped, their movements are not unknown', () => {
    const pending = [payment(PaymentStatus.Unpaid), payment(PaymentStatus.Processing), payment(PaymentStatus.Initiated)];
    const charged = pending[1];
    assert.ok(charged);
    const report = reconcile(pending, [entry(charged, 'charge', 15000)], window);
    assert.deepEqual(report, { ...window, checked: 3, pending: 3, matched: 0, differences: [] });
  });

  test('charged-but-not-paid: an expired, failed or void payment the wallet charged (and did not refund in full)', () => {
    for (const status of [PaymentStatus.Expired, PaymentStatus.Failed, PaymentStatus.Void]) {
      const p = payment(status);
      const d = only(reconcile([p], [entry(p, 'charge', 15000)], window));
      assert.equal(d.problem, 'charged-but-not-paid');
      assert.equal(d.tXid, p.tXid);
      assert.equal(d.mitraCd, 'OVOE');
      assert.deepEqual(d.gateway, { status, amt: 15000, cancelAmt: 0, iMid: 'IONPAYTEST' });
      assert.deepEqual(d.wallet, { charged: 15000, refunded: 0, charges: 1 });
      assert.match(d.detail, /OVO: charged 15000/);
    }
  });

  test('paid-but-not-charged: paid, refunded, or a late charge the gateway reconciled, with no charge at the wallet', () => {
    for (const p of [payment(PaymentStatus.Paid), payment(PaymentStatus.Refund, { cancelAmt: 15000 }), payment(PaymentStatus.Expired, { cancelAmt: 15000 })]) {
      const d = only(reconcile([p], [], window));
      assert.equal(d.problem, 'paid-but-not-charged', `status ${p.status}`);
      assert.deepEqual(d.wallet, { charged: 0, refunded: 0, charges: 0 });
    }
  });

  test('a charge at another wallet than the payment\'s does not count for it: paid-but-not-charged, and unknown there', () => {
    const p = payment(PaymentStatus.Paid, { mitraCd: 'DANA' });
    const report = reconcile([p], [{ wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: p.tXid, amount: 15000, at: inside }], window);
    assert.deepEqual(
      report.differences.map((d) => [d.problem, d.mitraCd]),
      [
        ['paid-but-not-charged', 'DANA'],
        ['unknown-to-gateway', 'OVOE'],
      ],
    );
  });

  test('entries are matched by mitraCd, not by the name the ledger gives the wallet', () => {
    // A settlement report that names OVO its own way: the source set the mitraCd, and that is what counts.
    const p = payment(PaymentStatus.Paid, { cancelAmt: 5000 });
    const report = reconcile(
      [p],
      [
        { wallet: 'OVO Settlement', mitraCd: 'OVOE', type: 'charge', merchantInvoice: p.tXid, amount: 15000, at: inside },
        { wallet: 'ovo', mitraCd: 'OVOE', type: 'refund', merchantInvoice: p.tXid, amount: 5000, at: inside },
      ],
      window,
    );
    assert.deepEqual(report, { ...window, checked: 1, pending: 0, matched: 1, differences: [] });
  });

  test('an entry whose wallet the gateway does not know: unknown-to-gateway without mitraCd, even with the name of a known wallet', () => {
    const p = payment(PaymentStatus.Paid);
    // No source gave it a mitraCd: its wallet is none of the registry's, whatever it is called.
    const report = reconcile([p], [{ wallet: 'OVO', type: 'charge', merchantInvoice: p.tXid, amount: 15000, at: inside }], window);
    assert.deepEqual(
      report.differences.map((d) => [d.tXid, d.problem, d.mitraCd, d.gateway?.status]),
      [
        [p.tXid, 'paid-but-not-charged', 'OVOE', PaymentStatus.Paid],
        [p.tXid, 'unknown-to-gateway', undefined, undefined],
      ],
    );
    const unknown = report.differences[1];
    assert.ok(unknown && !('mitraCd' in unknown), 'no mitraCd key at all');
    assert.equal(unknown.detail, 'OVO charged 15000 for a transaction the gateway has no payment of at this wallet');
  });

  test('charged-twice: two charges for one payment', () => {
    const p = payment(PaymentStatus.Paid);
    const d = only(reconcile([p], [entry(p, 'charge', 15000), entry(p, 'charge', 15000)], window));
    assert.equal(d.problem, 'charged-twice');
    assert.deepEqual(d.wallet, { charged: 30000, refunded: 0, charges: 2 });
    assert.match(d.detail, /charged 30000 in 2 charges/);
  });

  test('amount-mismatch: one charge of another amount', () => {
    const p = payment(PaymentStatus.Paid);
    const d = only(reconcile([p], [entry(p, 'charge', 1500)], window));
    assert.equal(d.problem, 'amount-mismatch');
    assert.deepEqual(d.wallet, { charged: 1500, refunded: 0, charges: 1 });
  });

  test('refund-mismatch: refunded more or less than the gateway recorded, or refunded a payment the gateway says is paid', () => {
    const partial = payment(PaymentStatus.Paid, { cancelAmt: 5000 });
    const refunded = payment(PaymentStatus.Refund, { cancelAmt: 15000 });
    const paid = payment(PaymentStatus.Paid);
    const late = payment(PaymentStatus.Expired, { cancelAmt: 15000 });
    const report = reconcile(
      [partial, refunded, paid, late],
      [
        entry(partial, 'charge', 15000),
        entry(partial, 'refund', 4000),
        entry(refunded, 'charge', 15000),
        entry(refunded, 'refund', 5000),
        entry(paid, 'charge', 15000),
        entry(paid, 'refund', 15000),
        entry(late, 'charge', 15000),
      ],
      window,
    );
    assert.deepEqual(
      report.differences.map((d) => [d.tXid, d.problem, d.wallet.refunded]),
      [
        [partial.tXid, 'refund-mismatch', 4000],
        [refunded.tXid, 'refund-mismatch', 5000],
        [paid.tXid, 'refund-mismatch', 15000],
        [late.tXid, 'refund-mismatch', 0],
      ],
    );
    assert.equal(report.matched, 0);
  });

  test('unknown-to-gateway: money for a tXid no payment has, one difference per tXid and wallet, no gateway side', () => {
    const known = payment(PaymentStatus.Paid);
    const report = reconcile(
      [known],
      [
        entry(known, 'charge', 15000),
        { wallet: 'OVO', mitraCd: 'OVOE', type: 'charge', merchantInvoice: 'NOT-OURS-1', amount: 20000, at: inside },
        { wallet: 'OVO', mitraCd: 'OVOE', type: 'refund', merchantInvoice: 'NOT-OURS-1', amount: 20000, at: inside },
        { wallet: 'GOPAY', type: 'charge', merchantInvoice: 'NOT-OURS-2', amount: 7000, at: inside },
      ],
      window,
    );
    assert.equal(report.matched, 1);
    assert.deepEqual(report.differences, [
      { tXid: 'NOT-OURS-1', mitraCd: 'OVOE', problem: 'unknown-to-gateway', wallet: { charged: 20000, refunded: 20000, charges: 1 }, detail: 'OVO charged 20000, refunded 20000 for a transaction the gateway has no payment of at this wallet' },
      { tXid: 'NOT-OURS-2', problem: 'unknown-to-gateway', wallet: { charged: 7000, refunded: 0, charges: 1 }, detail: 'GOPAY charged 7000 for a transaction the gateway has no payment of at this wallet' },
    ]);
    assert.deepEqual(countByProblem(report), { 'unknown-to-gateway': 2 });
  });

  test('window edges: unknown movements count from `from` (inclusive) to `to` (exclusive); a known payment uses all its entries', () => {
    const stray = (merchantInvoice: string, at: string): WalletLedgerEntry => ({ wallet: 'DANA', mitraCd: 'DANA', type: 'charge', merchantInvoice, amount: 1000, at });
    const report = reconcile(
      [],
      [
        stray('AT-FROM', '2025-03-01T17:00:00.000Z'),
        stray('JUST-BEFORE-FROM', '2025-03-01T16:59:59.999Z'),
        stray('JUST-BEFORE-TO', '2025-03-02T16:59:59.999Z'),
        stray('AT-TO', '2025-03-02T17:00:00.000Z'),
      ],
      window,
    );
    assert.deepEqual(report.differences.map((d) => d.tXid), ['AT-FROM', 'JUST-BEFORE-TO']);

    // Registered before the window (looked up): its charge before `from` and its refund inside are one history.
    const earlier = payment(PaymentStatus.Paid, { cancelAmt: 15000, startedAt: '2025-03-01T10:00:00.000Z' });
    const whole = reconcile([earlier], [entry(earlier, 'charge', 15000, '2025-03-01T10:00:05.000Z'), entry(earlier, 'refund', 15000)], window);
    assert.deepEqual(whole, { ...window, checked: 1, pending: 0, matched: 1, differences: [] });
  });

  test('a payment given twice (listed and looked up) is checked once', () => {
    const p = payment(PaymentStatus.Paid);
    const report = reconcile([p, p], [entry(p, 'charge', 15000)], window);
    assert.deepEqual(report, { ...window, checked: 1, pending: 0, matched: 1, differences: [] });
  });
});

describe('SandboxLedgerSource', () => {
  test('reads every wallet from /sandbox/ledger, keeps from <= at < to, and names each wallet by its mitraCd', async () => {
    const requested: string[] = [];
    const body = {
      entries: [
        { id: 'L1', wallet: 'OVO', type: 'charge', merchantInvoice: 'A', paymentId: 'P1', amount: 1000, phoneMasked: '0812****0000', at: '2025-03-01T16:59:59.999Z' },
        { id: 'L2', wallet: 'DANA', type: 'charge', merchantInvoice: 'B', paymentId: 'P2', amount: 2000, phoneMasked: '0812****0000', at: '2025-03-01T17:00:00.000Z' },
        { id: 'L3', wallet: 'ASTRAPAY', type: 'refund', merchantInvoice: 'C', paymentId: 'P3', amount: 3000, phoneMasked: '0812****0000', at: '2025-03-02T16:59:59.999Z' },
        { id: 'L4', wallet: 'OVO', type: 'charge', merchantInvoice: 'D', paymentId: 'P4', amount: 4000, phoneMasked: '0812****0000', at: '2025-03-02T17:00:00.000Z' },
        { id: 'L5', wallet: 'SHOPEEPAY', type: 'charge', merchantInvoice: 'E', paymentId: 'P5', amount: 5000, phoneMasked: '0812****0000', at: inside },
        { id: 'L6', wallet: 'LINKAJA', type: 'charge', merchantInvoice: 'F', paymentId: 'P6', amount: 6000, phoneMasked: '0812****0000', at: inside },
        { id: 'L7', wallet: 'OVO', type: 'refund', merchantInvoice: 'G', paymentId: 'P7', amount: 7000, phoneMasked: '0812****0000', at: inside },
        { id: 'L8', wallet: 'GOPAY', type: 'charge', merchantInvoice: 'H', paymentId: 'P8', amount: 8000, phoneMasked: '0812****0000', at: inside },
      ],
    };
    const fakeFetch = (async (url: string | URL | Request) => {
      requested.push(url instanceof Request ? url.url : url.toString());
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const source = new SandboxLedgerSource('http://sandbox.test/', defaultWallets, fakeFetch);
    const entries = await source.entries(new Date(window.from), new Date(window.to));
    assert.deepEqual(requested, ['http://sandbox.test/sandbox/ledger']);
    assert.deepEqual(entries, [
      { wallet: 'DANA', mitraCd: 'DANA', type: 'charge', merchantInvoice: 'B', amount: 2000, at: '2025-03-01T17:00:00.000Z' },
      { wallet: 'ASTRAPAY', mitraCd: 'ASTR', type: 'refund', merchantInvoice: 'C', amount: 3000, at: '2025-03-02T16:59:59.999Z' },
      { wallet: 'SHOPEEPAY', mitraCd: 'ESHP', type: 'charge', merchantInvoice: 'E', amount: 5000, at: inside },
      { wallet: 'LINKAJA', mitraCd: 'LINK', type: 'charge', merchantInvoice: 'F', amount: 6000, at: inside },
      { wallet: 'OVO', mitraCd: 'OVOE', type: 'refund', merchantInvoice: 'G', amount: 7000, at: inside },
      // A wallet none of the given ones: no mitraCd (the reconciliation reports its money unknown-to-gateway).
      { wallet: 'GOPAY', type: 'charge', merchantInvoice: 'H', amount: 8000, at: inside },
    ]);
    assert.ok(!('mitraCd' in (entries[5] ?? {})), 'no mitraCd key at all');

    // The names are the given wallets' (a registry of its own: its ledger names, its mitraCds), nothing built in.
    const own = new SandboxLedgerSource('http://sandbox.test', [{ ledgerName: 'GOPAY', mitraCd: 'GOPY' }], fakeFetch);
    assert.deepEqual(
      (await own.entries(new Date(window.from), new Date(window.to))).map((e) => [e.wallet, e.mitraCd]),
      [
        ['DANA', undefined],
        ['ASTRAPAY', undefined],
        ['SHOPEEPAY', undefined],
        ['LINKAJA', undefined],
        ['OVO', undefined],
        ['GOPAY', 'GOPY'],
      ],
    );
  });

  test('what it reads reconciles: a known wallet\'s charge matches its payment, an unknown wallet\'s is unknown-to-gateway', async () => {
    const paid = payment(PaymentStatus.Paid, { mitraCd: 'ESHP' });
    const body = {
      entries: [
        { wallet: 'SHOPEEPAY', type: 'charge', merchantInvoice: paid.tXid, amount: 15000, at: inside },
        { wallet: 'GOPAY', type: 'charge', merchantInvoice: paid.tXid, amount: 15000, at: inside },
      ],
    };
    const source = new SandboxLedgerSource('http://sandbox.test', defaultWallets, async () => new Response(JSON.stringify(body), { status: 200 }));
    const report = reconcile([paid], await source.entries(new Date(window.from), new Date(window.to)), window);
    assert.equal(report.matched, 1);
    assert.deepEqual(
      report.differences.map((d) => [d.tXid, d.problem, d.mitraCd, d.detail]),
      [[paid.tXid, 'unknown-to-gateway', undefined, 'GOPAY charged 15000 for a transaction the gateway has no payment of at this wallet']],
    );
  });

  test('an HTTP error from the sandbox is an error, not an empty ledger', async () => {
    const source = new SandboxLedgerSource('http://sandbox.test', defaultWallets, async () => new Response('no', { status: 503 }));
    await assert.rejects(source.entries(new Date(0), new Date()), /HTTP 503/);
  });
});

/** A payment execution as visibility lists it: its search attributes are all the reconciliation reads. */
function execution(p: GatewayPaymentRecord, startTime: string, type: 'paymentWorkflow' | 'refundWorkflow' = 'paymentWorkflow') {
  return {
    type,
    workflowId: type === 'paymentWorkflow' ? paymentWorkflowId(p.tXid) : refundWorkflowId(p.tXid),
    status: { name: 'RUNNING' },
    startTime: new Date(startTime),
    typedSearchAttributes: new TypedSearchAttributes([
      { key: PaymentSearch.tXid, value: p.tXid },
      { key: PaymentSearch.iMid, value: p.iMid },
      { key: PaymentSearch.mitraCd, value: p.mitraCd },
      { key: PaymentSearch.paymentStatus, value: p.status },
      { key: PaymentSearch.amt, value: p.amt },
      { key: PaymentSearch.cancelAmt, value: p.cancelAmt },
    ]),
  };
}

/** Visibility only: a list and a describe, recording what was asked. No query method exists to be called. */
function visibility(listed: ReturnType<typeof execution>[], described: ReturnType<typeof execution>[] = [], refunds: ReturnType<typeof execution>[] = []) {
  const asked = { queries: [] as string[], described: [] as string[] };
  const client = {
    options: { namespace: 'default' },
    workflow: {
      list: ({ query }: { query: string }) => {
        asked.queries.push(query);
        return (async function* () {
          yield* query.includes("'refundWorkflow'") ? refunds : listed;
        })();
      },
      getHandle: (workflowId: string) => ({
        describe: async () => {
          asked.described.push(workflowId);
          const found = described.find((e) => e.workflowId === workflowId);
          if (!found) throw new WorkflowNotFoundError('not found', workflowId, undefined);
          return found;
        },
      }),
    },
  };
  return { client: client as unknown as Client, asked };
}

/** The activity, run as the worker runs it (heartbeats included). */
function reconcileIn(deps: Parameters<typeof createReconciliationActivities>[0], w: { from: string; to: string }): Promise<ReconciliationReport> {
  const activities = createReconciliationActivities(deps);
  return new MockActivityEnvironment().run(() => activities.reconcileWindow(w));
}

describe('reconcileWindow activity: visibility and the ledger, a page at a time', () => {
  const at = (ms: number) => new Date(ms).toISOString();
  const from = Date.parse(window.from);
  const base = { iMid: 'IONPAYTEST', mitraCd: 'OVOE', amt: 15000, cancelAmt: 0 } as const;
  const ovo = (type: 'charge' | 'refund', merchantInvoice: string, amount: number, ms: number): WalletLedgerEntry => ({ wallet: 'OVO', mitraCd: 'OVOE', type, merchantInvoice, amount, at: at(ms) });

  test('matches, pending, differences; an earlier payment with money in the window is looked up with its whole ledger', async () => {
    const paid = { ...base, tXid: 'TX-PAID', status: PaymentStatus.Paid };
    const pending = { ...base, tXid: 'TX-PENDING', status: PaymentStatus.Processing };
    const expiredButCharged = { ...base, tXid: 'TX-EXPIRED', status: PaymentStatus.Expired };
    const earlier = { ...base, tXid: 'TX-EARLIER', status: PaymentStatus.Paid, cancelAmt: 15000 };
    const { client, asked } = visibility(
      [paid, pending, expiredButCharged].map((p) => execution(p, at(from + 1000))),
      [execution(earlier, at(from - 3 * 3_600_000))],
    );
    const reads: [string, string][] = [];
    const ledger = {
      async entries(start: Date, end: Date): Promise<WalletLedgerEntry[]> {
        reads.push([start.toISOString(), end.toISOString()]);
        if (start.getTime() < from) {
          // The earlier payment's history before the window, and someone else's charge (left out).
          return [ovo('charge', 'TX-EARLIER', 15000, from - 1000), ovo('charge', 'SOMEONE-ELSE', 1000, from - 2000)];
        }
        return [
          ovo('charge', 'TX-PAID', 15000, from + 3_600_000),
          ovo('charge', 'TX-EXPIRED', 15000, from + 3_600_000),
          ovo('refund', 'TX-EARLIER', 15000, from + 3_600_000),
          ovo('charge', 'NOT-OURS', 9000, from + 3_600_000),
          // After the window: a payment registered after it, left to the next run.
          ovo('charge', 'TX-NEXT-RUN', 15000, from + 24.5 * 3_600_000),
        ];
      },
    };
    const report = await reconcileIn({ client, ledger }, window);
    assert.deepEqual(asked.queries, [
      "WorkflowType = 'refundWorkflow' AND StartTime >= '2025-03-01T17:00:00.000Z'",
      "WorkflowType = 'paymentWorkflow' AND StartTime >= '2025-03-01T17:00:00.000Z' AND StartTime < '2025-03-02T17:00:00.000Z'",
    ]);
    assert.deepEqual(asked.described, [paymentWorkflowId('TX-EARLIER'), refundWorkflowId('TX-EARLIER'), paymentWorkflowId('NOT-OURS')], 'the strays, looked up by workflow ID');
    assert.deepEqual(reads.at(-1), [at(from - 3 * 3_600_000), window.from], "the earlier payment's history before the window");
    assert.deepEqual([report.checked, report.pending, report.matched], [4, 1, 2], 'the paid one and the earlier refunded one match');
    assert.deepEqual(report.differences.map((d) => [d.tXid, d.problem]), [['NOT-OURS', 'unknown-to-gateway'], ['TX-EXPIRED', 'charged-but-not-paid']]);
  });

  test('refunds after the close are read from the refund workflow (the latest run): the payment still says 0/0', async () => {
    const closedPaid = { ...base, tXid: 'TX-REFUNDED-LATER', status: PaymentStatus.Paid };
    const { client } = visibility(
      [execution(closedPaid, at(from + 1000))],
      [],
      [
        execution({ ...closedPaid, cancelAmt: 5000 }, at(from + 2 * 3_600_000), 'refundWorkflow'),
        execution({ ...closedPaid, status: PaymentStatus.Refund, cancelAmt: 15000 }, at(from + 5 * 3_600_000), 'refundWorkflow'),
      ],
    );
    const moves = [ovo('charge', 'TX-REFUNDED-LATER', 15000, from + 2000), ovo('refund', 'TX-REFUNDED-LATER', 5000, from + 2 * 3_600_000), ovo('refund', 'TX-REFUNDED-LATER', 10000, from + 5 * 3_600_000)];
    const report = await reconcileIn({ client, ledger: { entries: async () => moves } }, window);
    assert.deepEqual([report.checked, report.matched, report.differences], [1, 1, []]);
    const without = await reconcileIn({ client: visibility([execution(closedPaid, at(from + 1000))]).client, ledger: { entries: async () => moves } }, window);
    assert.deepEqual(without.differences.map((d) => d.tXid), ['TX-REFUNDED-LATER'], 'without its refund workflow the refunds are a difference');
  });

  test('a payment is judged by a ledger read after it was listed: money that moved meanwhile is no difference', async () => {
    const paid = { ...base, tXid: 'TX-JUST-PAID', status: PaymentStatus.Paid };
    const { client } = visibility([execution(paid, at(from + 1000))]);
    let reads = 0;
    const ledger = {
      // The first read is before the listing: the wallet's charge is not in it yet; the next one has it.
      async entries(): Promise<WalletLedgerEntry[]> {
        return reads++ === 0 ? [] : [ovo('charge', 'TX-JUST-PAID', 15000, from + 2000)];
      },
    };
    const report = await reconcileIn({ client, ledger }, window);
    assert.deepEqual([report.checked, report.matched, report.differences], [1, 1, []]);
    assert.equal(reads, 2);
  });

  test('a payment without its search attributes cannot be read from visibility: the run fails, naming it', async () => {
    const bare = { ...execution({ ...base, tXid: 'TX-BARE', status: PaymentStatus.Paid }, at(from)), typedSearchAttributes: new TypedSearchAttributes([]) };
    const { client } = visibility([bare]);
    const ledger = { entries: async (): Promise<WalletLedgerEntry[]> => [] };
    await assert.rejects(reconcileIn({ client, ledger }, window), (err: Error) => err.message.includes(`payment ${paymentWorkflowId('TX-BARE')} (RUNNING) has no complete search attributes`));
  });

  test('a window that is not a time is refused before any query is built', async () => {
    const { client, asked } = visibility([]);
    const ledger = { entries: async (): Promise<WalletLedgerEntry[]> => [] };
    await assert.rejects(reconcileIn({ client, ledger }, { from: "2025-01-01' OR 1=1", to: window.to }), /not a time/);
    assert.deepEqual(asked.queries, []);
  });
});
