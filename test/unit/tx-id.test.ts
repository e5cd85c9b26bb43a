import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveTxId, iMidOfTxId, paymentWorkflowId } from '../../domain/tx-id.js';

test('a tXid is iMid + "05" + 16 characters, at most 30, the same for the same iMid and referenceNo', () => {
  const t = deriveTxId('IONPAYTEST', 'ORD-1');
  assert.match(t, /^IONPAYTEST05[0-9A-Z]{16}$/);
  assert.ok(t.length <= 30);
  assert.equal(deriveTxId('IONPAYTEST', 'ORD-1'), t);
  assert.notEqual(deriveTxId('IONPAYTEST', 'ORD-2'), t);
  assert.notEqual(deriveTxId('OTHERMERCH', 'ORD-1').slice(12), t.slice(12));
  assert.equal(paymentWorkflowId(t), `payment-${t}`);
});

test('10 000 references give 10 000 distinct tXids', () => {
  const seen = new Set(Array.from({ length: 10_000 }, (_, i) => deriveTxId('IONPAYTEST', `ORD-${i}`)));
  assert.equal(seen.size, 10_000);
});

test('the issuing merchant is read back from a tXid; foreign or malformed tXids match none', () => {
  const t = deriveTxId('IONPAYTEST', 'ORD-1');
  assert.equal(iMidOfTxId(t, ['OTHER', 'IONPAYTEST']), 'IONPAYTEST');
  assert.equal(iMidOfTxId('IONPAYTEST05SHORT', ['IONPAYTEST']), undefined);
  assert.equal(iMidOfTxId(t, ['OTHER']), undefined);
});
