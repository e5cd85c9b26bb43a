import { test } from 'node:test';
import assert from 'node:assert/strict';
import { merchantToken, tokenMatches, tokens } from '../../domain/merchant-token.js';
import { sandboxMerchant } from '../../domain/merchants.js';

const merchantKey = sandboxMerchant.merchantKey;

// Vectors computed by hand with Python's hashlib.sha256, independently of this code.
test('registration token = sha256(timeStamp+iMid+referenceNo+amt+merchantKey), lowercase hex', () => {
  const t = tokens.registration({ timeStamp: '20260101120000', iMid: 'IONPAYTEST', referenceNo: 'ORD-001', amt: 15000, merchantKey });
  assert.equal(t, 'af969aabc0728a136fa145833c405cef4a0b31d67cb57d33a283746ef937fbbb');
  assert.equal(tokens.inquiry({ timeStamp: '20260101120000', iMid: 'IONPAYTEST', referenceNo: 'ORD-001', amt: '15000', merchantKey }), t);
});

test('notification token = sha256(iMid+tXid+amt+merchantKey)', () => {
  assert.equal(
    tokens.notification({ iMid: 'IONPAYTEST', tXid: 'IONPAYTEST051234567890123456', amt: 15000, merchantKey }),
    '2287ab6f3aa614884008c31ff1c65eef2fbffe29faa336629a0e60b87996941c',
  );
});

test('tokens compare in constant time, case-insensitively, and any other length or value fails', () => {
  const t = merchantToken('a', 'b');
  assert.equal(tokenMatches(t, t), true);
  assert.equal(tokenMatches(t, t.toUpperCase()), true);
  assert.equal(tokenMatches(t, t.slice(0, -1)), false);
  assert.equal(tokenMatches(t, `${t}0`), false);
  assert.equal(tokenMatches(t, ''), false);
  assert.equal(tokenMatches(t, t.replace(/.$/, (c) => (c === '0' ? '1' : '0'))), false);
});
