import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cancelAnswer, submissionAnswer } from '../../api/outcome-codes.js';
import { PaymentStatus } from '../../domain/payment-status.js';

// The workflows answer in the gateway's words; NICEPAY's codes (CONTRACT §2) are the API's alone.
test('every payment-call outcome has its NICEPAY code and message', () => {
  const status = PaymentStatus.Processing;
  assert.deepEqual(submissionAnswer({ outcome: 'accepted', status }), { resultCd: '0000', resultMsg: 'SUCCESS' });
  assert.deepEqual(submissionAnswer({ outcome: 'refused', reason: 'insufficient balance', status: PaymentStatus.Failed }), { resultCd: '0000', resultMsg: 'Payment failed: insufficient balance' });
  assert.equal(submissionAnswer({ outcome: 'nothing-charged', status: PaymentStatus.Unpaid }).resultCd, '1001');
  assert.match(submissionAnswer({ outcome: 'nothing-charged', status: PaymentStatus.Unpaid }).resultMsg, /nothing was charged, safe to retry/);
  assert.equal(submissionAnswer({ outcome: 'unknown', status }).resultCd, '1004');
});

test('every cancel outcome has its NICEPAY code and message', () => {
  const book = { status: PaymentStatus.Paid, cancelAmt: 0 };
  assert.deepEqual(cancelAnswer({ outcome: 'done', ...book }), { resultCd: '0000', resultMsg: 'SUCCESS' });
  assert.deepEqual(cancelAnswer({ outcome: 'refused', reason: 'transaction is failed', ...book }), { resultCd: '9502', resultMsg: 'Not allowed in the current status: transaction is failed' });
  assert.equal(cancelAnswer({ outcome: 'not-refunded', ...book }).resultCd, '1001');
  assert.match(cancelAnswer({ outcome: 'in-progress', ...book }).resultMsg, /the cancel goes on/);
  assert.match(cancelAnswer({ outcome: 'void-unanswered', ...book }).resultMsg, /may still complete/);
  assert.equal(cancelAnswer({ outcome: 'void-unanswered', ...book }).resultCd, '1004');
});
