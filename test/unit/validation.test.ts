import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../api/errors.js';
import { InquiryRequest } from '../../api/routes/inquiry.schema.js';
import { RegistrationRequest } from '../../api/routes/registration.schema.js';
import { validateFields } from '../../api/validate.js';

const valid = {
  timeStamp: '20260101120000',
  iMid: 'IONPAYTEST',
  payMethod: '05',
  currency: 'IDR',
  amt: '15000',
  referenceNo: 'ORD-1',
  goodsNm: 'Kopi',
  billingNm: 'Budi',
  billingPhone: '081234567000',
  billingEmail: 'budi@example.com',
  dbProcessUrl: 'https://merchant.example/notify',
  mitraCd: 'OVOE',
  merchantToken: 'a'.repeat(64),
};

function codeOf(fields: Record<string, unknown>): [string, string] {
  try {
    validateFields(RegistrationRequest, fields);
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    return [err.resultCd, err.message];
  }
  return ['0000', 'valid'];
}

const without = (...keys: string[]) => Object.fromEntries(Object.entries(valid).filter(([k]) => !keys.includes(k)));

test('a valid registration parses, numbers as strings or numbers, amt as integer rupiah', () => {
  assert.equal(validateFields(RegistrationRequest, valid).amt, 15000);
  assert.equal(validateFields(RegistrationRequest, { ...valid, amt: 15000 }).amt, 15000);
});

test('missing fields answer their own codes, in the contract order', () => {
  assert.deepEqual(codeOf(without('amt')), ['9007', 'amt is required']);
  assert.deepEqual(codeOf(without('currency')), ['9013', 'currency is required']);
  assert.deepEqual(codeOf(without('referenceNo')), ['9014', 'referenceNo is required']);
  assert.deepEqual(codeOf(without('goodsNm')), ['9015', 'goodsNm is required']);
  assert.deepEqual(codeOf(without('billingNm')), ['9016', 'billingNm is required']);
  assert.deepEqual(codeOf(without('billingPhone')), ['9017', 'billingPhone is required']);
  assert.deepEqual(codeOf(without('billingEmail')), ['9018', 'billingEmail is required']);
  assert.equal(codeOf(without('billingEmail', 'currency', 'amt'))[0], '9007');
  assert.equal(codeOf({ ...without('goodsNm'), amt: 'x' })[0], '9008');
  assert.equal(codeOf({ ...without('billingEmail'), timeStamp: 'yesterday' })[0], '9018');
  assert.deepEqual(codeOf({ ...valid, goodsNm: '   ' }), ['9015', 'goodsNm is required']);
});

test('invalid values name the field: amt 9008, others 9001', () => {
  for (const amt of ['abc', '-5', '1.5', '0', 0, 1.5, '12345678901234']) assert.equal(codeOf({ ...valid, amt })[0], '9008', `amt ${amt}`);
  assert.match(codeOf({ ...valid, timeStamp: '2026-01-01' }).join(' '), /^9001 Invalid timeStamp/);
  assert.match(codeOf({ ...valid, timeStamp: '20261301120000' }).join(' '), /^9001 Invalid timeStamp: must be a real date/);
  assert.match(codeOf({ ...valid, timeStamp: '20260230120000' }).join(' '), /^9001 Invalid timeStamp: must be a real date/);
  assert.match(codeOf({ ...valid, billingEmail: 'not-an-email' }).join(' '), /^9001 Invalid billingEmail/);
  assert.match(codeOf({ ...valid, dbProcessUrl: 'ftp://x' }).join(' '), /^9001 Invalid dbProcessUrl/);
  assert.match(codeOf({ ...valid, currency: 'USD' }).join(' '), /^9001 Invalid currency/);
  assert.match(codeOf({ ...valid, billingPhone: '12ab' }).join(' '), /^9001 Invalid billingPhone/);
  assert.match(codeOf({ ...valid, goodsNm: { nested: true } }).join(' '), /^9001 Invalid goodsNm/);
  assert.match(codeOf({ ...valid, referenceNo: 'x'.repeat(41) }).join(' '), /^9001 Invalid referenceNo: at most 40/);
  assert.match(codeOf({ ...valid, merchantToken: 'short' }).join(' '), /^9001 Invalid merchantToken/);
});

test('inquiry fields: 9007 before 9014 before 9001', () => {
  const inquiry = { timeStamp: valid.timeStamp, iMid: 'IONPAYTEST', tXid: 'IONPAYTEST05AAAAAAAAAAAAAAAA', referenceNo: 'R', amt: '1', merchantToken: 'a'.repeat(64) };
  assert.throws(() => validateFields(InquiryRequest, { ...inquiry, amt: undefined, referenceNo: undefined }), (e: unknown) => e instanceof GatewayError && e.resultCd === '9007');
  assert.throws(() => validateFields(InquiryRequest, { ...inquiry, referenceNo: '', tXid: '' }), (e: unknown) => e instanceof GatewayError && e.resultCd === '9014');
  assert.throws(() => validateFields(InquiryRequest, { ...inquiry, tXid: 'x'.repeat(31) }), (e: unknown) => e instanceof GatewayError && e.resultCd === '9001');
});
