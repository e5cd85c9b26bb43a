import { createHmac } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const KEY_LENGTH = 16;

/** 0812…, 62812…, +62812… are one phone: the key must not depend on how the merchant wrote it. */
export function canonicalPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('62') ? `0${digits.slice(2)}` : digits;
}

/**
 * The key of a customer's link with one merchant: an HMAC of iMid + phone, so workflow IDs, mandate IDs and search
 * results never carry a readable phone number (a plain hash of a phone number is reversed by trying them all).
 */
export function linkKey(iMid: string, phone: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(`${iMid}\u0000${canonicalPhone(phone)}`, 'utf8').digest();
  let n = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`);
  let key = '';
  for (let i = 0; i < KEY_LENGTH; i++) {
    key += ALPHABET[Number(n % 36n)];
    n /= 36n;
  }
  return key;
}

