import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nicepayDate, nicepayTime, nicepayTimestamp } from '../../domain/nicepay-time.js';

test('NICEPAY dates are Jakarta wall-clock time (UTC+7)', () => {
  const at = new Date('2026-11-25T18:30:05.123Z');
  assert.equal(nicepayDate(at), '20261126');
  assert.equal(nicepayTime(at), '013005');
  assert.equal(nicepayTimestamp(at), '20261126013005');
});
