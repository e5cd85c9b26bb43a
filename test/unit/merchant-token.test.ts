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

// AstraPay link tokens (CONTRACT §4, §5), computed by hand with `printf '%s' '<parts>' | sha256sum`.
test('linkEnable token = sha256(iMid+referenceNo+billingPhone+merchantKey), no timeStamp', () => {
  assert.equal(
    tokens.linkEnable({ iMid: 'IONPAYTEST', referenceNo: 'LNK-0001', billingPhone: '081234567890', merchantKey }),
    '22965e98a9dae8c9f73bfd1274d09bfd2343080613fc0620f592a549f4b95109',
  );
});

test('linkInquiry and linkDisable token = sha256(timeStamp+iMid+mandateID+merchantKey)', () => {
  assert.equal(
    tokens.linkInquiry({ timeStamp: '20261125120000', iMid: 'IONPAYTEST', mandateID: 'MABCDEFGHIJ0123456001', merchantKey }),
    'f753766701365fb8d43d4f6fc2150a51a786c29a1fd61212fdf34c3f2eaed58a',
  );
});

test('linkInitiate token = sha256(iMid+referenceNo+amt+merchantKey), no timeStamp', () => {
  assert.equal(tokens.linkInitiate({ iMid: 'IONPAYTEST', referenceNo: 'ORD-0001', amt: 15000, merchantKey }), '3873b49fcb78b72645d96c648bfbcf6d31798f0867b79776433df9aa7f6e1f1f');
});

test('link notification token = sha256(iMid+mandateID+linkStatus+merchantKey)', () => {
  assert.equal(
    tokens.linkNotification({ iMid: 'IONPAYTEST', mandateID: 'MABCDEFGHIJ0123456001', linkStatus: 'ACTIVE', merchantKey }),
    '945f6bd554107f8322088cf0b1fa0584108f82d282003758aa8523bf64075374',
  );
});
