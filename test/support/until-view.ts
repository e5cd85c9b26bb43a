import assert from 'node:assert/strict';
import { paymentQuery, type PaymentView } from '../../workflows/messages.js';

/** Polls a payment's view until `ready` holds (a signal is handled after `signal()` returns). */
export async function untilView(handle: { query: (q: typeof paymentQuery) => Promise<PaymentView> }, ready: (view: PaymentView) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ready(await handle.query(paymentQuery))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail('the workflow never reached the expected state');
}
