import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';

/**
 * A PEM key from an environment variable. Many deployments (and DANA's own samples) put a PEM on one line with
 * literal `\n` escapes; both forms are the same key.
 */
export function pemText(value: string): string {
  return `${value.replace(/\\n/g, '\n').replace(/\r\n?/g, '\n').trim()}\n`;
}

function parses(parse: (pem: string) => unknown): (pem: string) => boolean {
  return (pem) => {
    try {
      parse(pem);
      return true;
    } catch {
      return false;
    }
  };
}

/** A PEM private key (PKCS#8 or PKCS#1), checked at start-up so a bad key never waits for the first payment. */
export const pemPrivateKey = z.string().transform(pemText).refine(parses(createPrivateKey), 'must be a PEM private key');

/** A PEM public key (SPKI or PKCS#1). */
export const pemPublicKey = z
  .string()
  .transform(pemText)
  // createPublicKey also takes a private key; a private key where a public one belongs is a leak waiting to happen.
  .refine((pem) => !pem.includes('PRIVATE KEY') && parses(createPublicKey)(pem), 'must be a PEM public key');
