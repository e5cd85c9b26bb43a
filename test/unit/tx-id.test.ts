import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasTxIdShape, iMidOfTxId, newTxId, paymentWorkflowId, paymentWorkflowIdOf } from '../../domain/tx-id.js';

const at = new Date('2026-12-06T06:00:00Z');

test('a tXid is iMid + "05" + 18 characters, at most 30; its workflow is named by iMid + referenceNo', () => {
  const t = newTxId('IONPAYTEST', 'ORD-1', at);
  assert.match(t, /^IONPAYTEST05[0-9A-Z]{18}$/);
  assert.ok(t.length <= 30);
  assert.equal(paymentWorkflowId(t), paymentWorkflowIdOf('IONPAYTEST', 'ORD-1'));
  assert.notEqual(paymentWorkflowIdOf('IONPAYTEST', 'ORD-2'), paymentWorkflowIdOf('IONPAYTEST', 'ORD-1'));
  assert.notEqual(paymentWorkflowIdOf('OTHERMERCH', 'ORD-1').slice(-12), paymentWorkflowIdOf('IONPAYTEST', 'ORD-1').slice(-12));
});

test('the same referenceNo registered again later gets another tXid, on the same workflow key', () => {
  const first = newTxId('IONPAYTEST', 'ORD-1', at);
  for (const later of [1, 1000, 86_400_000, 30 * 86_400_000]) {
    const again = newTxId('IONPAYTEST', 'ORD-1', new Date(at.getTime() + later));
    assert.notEqual(again, first, `${later} ms later`);
    assert.equal(paymentWorkflowId(again), paymentWorkflowId(first));
  }
});

test('10 000 references give 10 000 distinct tXids and workflows', () => {
  const tXids = Array.from({ length: 10_000 }, (_, i) => newTxId('IONPAYTEST', `ORD-${i}`, at));
  assert.equal(new Set(tXids).size, 10_000);
  assert.equal(new Set(tXids.map(paymentWorkflowId)).size, 10_000);
});

test('the issuing merchant is read back from a tXid; foreign or malformed tXids match none', () => {
  const t = newTxId('IONPAYTEST', 'ORD-1', at);
  assert.equal(iMidOfTxId(t, ['OTHER', 'IONPAYTEST']), 'IONPAYTEST');
  assert.equal(iMidOfTxId('IONPAYTEST05SHORT', ['IONPAYTEST']), undefined);
  assert.equal(iMidOfTxId(`${t.slice(0, -1)}a`, ['IONPAYTEST']), undefined);
  assert.equal(iMidOfTxId(t, ['OTHER']), undefined);
});

test('only the shape of a tXid is ever looked up', () => {
  assert.equal(hasTxIdShape(newTxId('IONPAYTEST', 'ORD-1', at)), true);
  for (const bad of ['', 'IONPAYTEST05', `${newTxId('IONPAYTEST', 'ORD-1', at)}0`, 'IONPAYTEST05ABC\u0000DEFGHIJKLMNOPQR', 'IONPAYTEST05abcdefghijklmnopqr']) assert.equal(hasTxIdShape(bad), false, JSON.stringify(bad));
});
