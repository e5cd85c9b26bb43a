import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkWorkflowId, mandateId, maskPhone, parseMandateId } from '../../domain/account-link.js';
import { canonicalPhone, linkKey } from '../../domain/link-key.js';
import { openSecret, SealedSecretError, sealSecret } from '../../domain/sealed-secret.js';

const SECRET = 'test-link-id-secret';
const KEY = Buffer.alloc(32, 7).toString('base64');

test('one customer, however the phone is written, is one link key per merchant; no digits of the phone in it', () => {
  const key = linkKey('IONPAYTEST', '081234567890', SECRET);
  assert.match(key, /^[0-9A-Z]{16}$/);
  for (const same of ['6281234567890', '+6281234567890', '0812-3456-7890']) assert.equal(linkKey('IONPAYTEST', same, SECRET), key);
  assert.notEqual(linkKey('OTHERMERCH', '081234567890', SECRET), key, 'another merchant, another link');
  assert.notEqual(linkKey('IONPAYTEST', '081234567891', SECRET), key);
  assert.notEqual(linkKey('IONPAYTEST', '081234567890', 'another-secret-0'), key, 'keyed: not a plain hash of the phone');
  assert.equal(linkWorkflowId(key).includes('1234567890'), false);
  assert.equal(canonicalPhone('+62 812 3456 7890'), '081234567890');
});

test('a mandateID names its workflow and its generation', () => {
  const id = mandateId('ABCDEFGHIJ012345', 1);
  assert.equal(id, 'MABCDEFGHIJ012345001');
  assert.deepEqual(parseMandateId(id), { key: 'ABCDEFGHIJ012345', generation: 1 });
  assert.deepEqual(parseMandateId(mandateId('ABCDEFGHIJ012345', 1234)), { key: 'ABCDEFGHIJ012345', generation: 1234 });
  for (const bad of ['', 'M', 'XABCDEFGHIJ012345001', 'MABCDEFGHIJ01234001', 'Mabcdefghij012345001', 'MABCDEFGHIJ012345001 ']) assert.equal(parseMandateId(bad), undefined, bad);
});

test('phones are masked for merchants: 0812****7890', () => {
  assert.equal(maskPhone('081234567890'), '0812****7890');
});

test('sealed secrets open with their key only, and any change to them is detected', () => {
  const sealed = sealSecret(KEY, 'APT-0123456789abcdef');
  assert.match(sealed, /^v1\./);
  assert.equal(sealed.includes('APT-'), false);
  assert.notEqual(sealSecret(KEY, 'APT-0123456789abcdef'), sealed, 'a fresh IV each time');
  assert.equal(openSecret(KEY, sealed), 'APT-0123456789abcdef');
  assert.throws(() => openSecret(Buffer.alloc(32, 8).toString('base64'), sealed), SealedSecretError);
  const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
  assert.throws(() => openSecret(KEY, tampered), SealedSecretError);
  assert.throws(() => openSecret(KEY, 'APT-plain'), SealedSecretError);
  assert.throws(() => sealSecret('c2hvcnQ=', 'x'), SealedSecretError);
});
