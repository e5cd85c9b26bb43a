import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets the gateway must keep, such as AstraPay account tokens: what Temporal stores (history,
 * query results) is `v1.<iv>.<ciphertext+tag>`, useless without the key from configuration.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealedSecretError extends Error {}

function keyBytes(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new SealedSecretError('the sealing key must be 32 bytes');
  return key;
}

export function sealSecret(base64Key: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(base64Key), iv);
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

export function openSecret(base64Key: string, sealed: string): string {
  const [version, iv, body] = sealed.split('.');
  if (version !== VERSION || !iv || !body) throw new SealedSecretError('not a sealed secret');
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.length < TAG_BYTES) throw new SealedSecretError('sealed secret too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(base64Key), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // Never echo the cause: it is about secret material.
    throw new SealedSecretError('sealed secret does not open with this key');
  }
}
