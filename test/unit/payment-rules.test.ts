import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { afterRefund, cancelPlan, latePlan, routeCallback, statusMove, walletVerdict, type CancelKind, type PaymentBook, type WalletWord } from '../../domain/payment-rules.js';
import { PaymentStatus, isFinal } from '../../domain/payment-status.js';

const AMT = 15_000;
const statuses = Object.values(PaymentStatus);
const words: readonly WalletWord['state'][] = ['PAID', 'FAILED', 'VOIDED', 'PENDING'];
const book = (status: PaymentStatus, cancelAmt = 0): PaymentBook => ({ status, amt: AMT, cancelAmt });
const word = (state: WalletWord['state'], amount = AMT): WalletWord => ({ state, amount });
const { Paid, Void, Refund, Unpaid, Processing, Expired, Failed, Initiated } = PaymentStatus;

describe('payment rules, state by state', () => {
  test('statusMove: every pair; a final status moves nowhere but paid → refunded', () => {
    for (const from of statuses) {
      for (const to of statuses) {
        const expected = from === to ? 'same' : isFinal(from) && !(from === Paid && to === Refund) ? 'final' : 'move';
        assert.equal(statusMove(from, to), expected, `${from} → ${to}`);
      }
    }
    assert.equal(statusMove(Paid, Refund), 'move');
    assert.equal(statusMove(Refund, Paid), 'final');
    assert.equal(statusMove(Initiated, Unpaid), 'move', 'nothing was charged: the merchant may submit again');
  });

  test('routeCallback: every status × every word, and another amount', () => {
    const table: Record<PaymentStatus, Record<WalletWord['state'], string>> = {
      [Unpaid]: { PAID: 'accept-while-unpaid', FAILED: 'record', VOIDED: 'record', PENDING: 'record' },
      [Initiated]: { PAID: 'decisive', FAILED: 'decisive', VOIDED: 'decisive', PENDING: 'ignore' },
      [Processing]: { PAID: 'decisive', FAILED: 'decisive', VOIDED: 'decisive', PENDING: 'ignore' },
      [Paid]: { PAID: 'late', FAILED: 'late', VOIDED: 'late', PENDING: 'late' },
      [Void]: { PAID: 'late', FAILED: 'late', VOIDED: 'late', PENDING: 'late' },
      [Refund]: { PAID: 'late', FAILED: 'late', VOIDED: 'late', PENDING: 'late' },
      [Expired]: { PAID: 'late', FAILED: 'late', VOIDED: 'late', PENDING: 'late' },
      [Failed]: { PAID: 'late', FAILED: 'late', VOIDED: 'late', PENDING: 'late' },
    };
    for (const status of statuses) {
      for (const state of words) {
        assert.equal(routeCallback(book(status), word(state)).kind, table[status][state], `${status} × ${state}`);
        assert.equal(routeCallback(book(status), word(state, AMT - 1)).kind, 'mismatch', `${status} × ${state} for another amount`);
      }
    }
  });

  test('walletVerdict: paid for the amount moves to paid; another amount is distrusted; failed keeps its reason; voided expires', () => {
    assert.deepEqual(walletVerdict(AMT, word('PAID'), 'status check'), { kind: 'move', to: Paid, reason: 'paid (status check)' });
    assert.equal(walletVerdict(AMT, word('PAID', 14_000), 'callback').kind, 'distrust');
    assert.deepEqual(walletVerdict(AMT, { state: 'FAILED', amount: AMT, reason: 'insufficient balance' }, 'callback'), { kind: 'move', to: Failed, reason: 'insufficient balance (callback)', failureReason: 'insufficient balance' });
    assert.deepEqual(walletVerdict(AMT, word('FAILED'), 'callback'), { kind: 'move', to: Failed, reason: 'declined (callback)', failureReason: 'declined' });
    assert.deepEqual(walletVerdict(AMT, word('VOIDED'), 'callback'), { kind: 'move', to: Expired, reason: 'voided at the wallet (callback)' });
    assert.deepEqual(walletVerdict(AMT, word('PENDING'), 'callback'), { kind: 'none' });
  });

  test('latePlan: only a PAID for a payment not paid costs a refund, of the whole amount, once', () => {
    for (const status of [Void, Expired, Failed]) {
      assert.deepEqual(latePlan(book(status), word('PAID')), { kind: 'refund', amount: AMT }, `late PAID after ${status}`);
      assert.deepEqual(latePlan(book(status, AMT), word('PAID')), { kind: 'same' }, `after ${status}, already refunded`);
    }
    // A wrong-amount charge refunded before is another charge: the late one is refunded whole.
    assert.deepEqual(latePlan(book(Failed, 14_000), word('PAID')), { kind: 'refund', amount: AMT });
    for (const status of [Paid, Refund]) assert.deepEqual(latePlan(book(status), word('PAID')), { kind: 'same' });
    for (const state of ['FAILED', 'VOIDED', 'PENDING'] as const) assert.equal(latePlan(book(Paid), word(state)).kind, 'ignore');
  });

  test('cancelPlan: every status × full and partial', () => {
    const full: CancelKind = { cancelType: 'full' };
    const partial: CancelKind = { cancelType: 'partial', amount: 5_000 };
    const table: Record<PaymentStatus, [string, string]> = {
      [Unpaid]: ['void-here', 'refuse'],
      [Initiated]: ['void-at-wallet', 'refuse'],
      [Processing]: ['void-at-wallet', 'refuse'],
      [Paid]: ['refund', 'refund'],
      [Void]: ['done', 'refuse'],
      [Refund]: ['done', 'refuse'],
      [Expired]: ['refuse', 'refuse'],
      [Failed]: ['refuse', 'refuse'],
    };
    for (const status of statuses) {
      assert.deepEqual([cancelPlan(book(status), full).kind, cancelPlan(book(status), partial).kind], table[status], `status ${status}`);
    }
    assert.deepEqual(cancelPlan(book(Paid, 5_000), full), { kind: 'refund', amount: 10_000 }, 'a full cancel refunds what is left');
    assert.deepEqual(cancelPlan(book(Paid, 12_000), partial).kind, 'refuse', 'never more than is left');
    assert.deepEqual(cancelPlan(book(Paid), { cancelType: 'partial', amount: 0 }).kind, 'refuse', 'nothing to refund is not a refund');
    assert.deepEqual(afterRefund(book(Paid, 5_000), 10_000), { cancelAmt: 15_000, refundedInFull: true });
    assert.deepEqual(afterRefund(book(Paid), 5_000), { cancelAmt: 5_000, refundedInFull: false });
  });
});

/**
 * The rules composed as the payment workflow composes them, over random sequences of events: the wallet's words
 * (callbacks and status checks, right or wrong amount), the merchant's cancels, void answers and late charges. The
 * driver holds the money at the wallet as the wallet would see it.
 */
type Event =
  | { readonly kind: 'submit' }
  | { readonly kind: 'created' }
  | { readonly kind: 'nothing-charged' }
  | { readonly kind: 'word'; readonly state: WalletWord['state']; readonly amount: number }
  | { readonly kind: 'cancel'; readonly cancel: CancelKind; readonly walletAlreadyPaid: boolean }
  | { readonly kind: 'window-over'; readonly walletAlreadyPaid: boolean };

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.constant<Event>({ kind: 'submit' }),
  fc.constant<Event>({ kind: 'created' }),
  fc.constant<Event>({ kind: 'nothing-charged' }),
  fc.record({ kind: fc.constant('word' as const), state: fc.constantFrom(...words), amount: fc.constantFrom(AMT, AMT - 1_000, AMT + 1) }),
  fc.record({
    kind: fc.constant('cancel' as const),
    cancel: fc.oneof(fc.constant<CancelKind>({ cancelType: 'full' }), fc.integer({ min: 0, max: AMT + 1_000 }).map((amount): CancelKind => ({ cancelType: 'partial', amount }))),
    walletAlreadyPaid: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('window-over' as const), walletAlreadyPaid: fc.boolean() }),
);

interface World {
  book: PaymentBook;
  /** The wallet charges a tXid once at most (it dedupes on it), the amount of its first "paid". */
  charge: number | undefined;
  refunded: number;
  timesPaid: number;
  finals: PaymentStatus[];
}

function run(events: readonly Event[]): World {
  const w: World = { book: book(Unpaid), charge: undefined, refunded: 0, timesPaid: 0, finals: [] };
  const move = (to: PaymentStatus): void => {
    if (statusMove(w.book.status, to) !== 'move') return;
    if (to === Paid) w.timesPaid++;
    w.book = { ...w.book, status: to };
    if (isFinal(to)) w.finals.push(to);
  };
  /** The wallet says "paid": of the amount it charged, charging now if it had not. */
  const paidWord = (amount: number): WalletWord => {
    w.charge ??= amount;
    return word('PAID', w.charge);
  };
  const verdict = (v: WalletWord): void => {
    const d = walletVerdict(w.book.amt, v, 'test');
    if (d.kind === 'move') move(d.to);
  };
  for (const e of events) {
    switch (e.kind) {
      case 'submit':
        if (w.book.status === Unpaid) move(Initiated);
        break;
      case 'created':
        if (w.book.status === Initiated) move(Processing);
        break;
      case 'nothing-charged':
        if (w.book.status === Initiated && w.charge === undefined) move(Unpaid);
        break;
      case 'word': {
        const v = e.state === 'PAID' ? paidWord(e.amount) : { state: e.state, amount: e.amount };
        const route = routeCallback(w.book, v);
        if (route.kind === 'decisive' || route.kind === 'accept-while-unpaid') verdict(v);
        else if (route.kind === 'late') {
          const plan = latePlan(w.book, v);
          if (plan.kind === 'refund') {
            w.refunded += plan.amount;
            w.book = { ...w.book, cancelAmt: plan.amount };
          }
        } else if (route.kind === 'mismatch' && v.state === 'PAID' && (w.book.status === Initiated || w.book.status === Processing)) {
          // Another amount: the status check finds the charge and the workflow refunds it, failing the payment.
          w.refunded += v.amount;
          w.book = { ...w.book, cancelAmt: v.amount };
          move(Failed);
        }
        break;
      }
      case 'window-over':
        if (w.book.status === Processing || w.book.status === Initiated) {
          if (e.walletAlreadyPaid || w.charge !== undefined) verdict(paidWord(AMT));
          else move(Expired);
        }
        break;
      case 'cancel': {
        let plan = cancelPlan(w.book, e.cancel);
        if (plan.kind === 'void-here') move(Void);
        if (plan.kind === 'void-at-wallet') {
          if (e.walletAlreadyPaid || w.charge !== undefined) {
            verdict(paidWord(AMT));
            plan = cancelPlan(w.book, e.cancel);
          } else move(Void);
        }
        if (plan.kind === 'refund') {
          w.refunded += plan.amount;
          const after = afterRefund(w.book, plan.amount);
          w.book = { ...w.book, cancelAmt: after.cancelAmt };
          if (after.refundedInFull) move(Refund);
        }
        break;
      }
    }
  }
  return w;
}

describe('payment rules over random sequences of events (fast-check)', () => {
  test('never refunds more than the wallet charged, never pays twice, a final status moves only paid → refunded', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const w = run(events);
        assert.ok(w.refunded <= (w.charge ?? 0), `refunded ${w.refunded} of ${w.charge ?? 0} charged`);
        assert.ok(w.book.cancelAmt <= (w.charge ?? 0), `cancelAmt ${w.book.cancelAmt} of ${w.charge ?? 0} charged`);
        assert.ok(w.timesPaid <= 1, `paid ${w.timesPaid} times`);
        assert.ok(w.finals.length <= 2, `final statuses ${w.finals.join(' → ')}`);
        if (w.finals.length === 2) assert.deepEqual(w.finals, [Paid, Refund]);
        if (w.book.status === Paid || w.book.status === Refund) assert.equal(w.charge, AMT, 'paid means the wallet charged the registered amount');
      }),
      { numRuns: 2_000 },
    );
  });
});
