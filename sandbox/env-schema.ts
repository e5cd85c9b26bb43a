import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';

/** A setting the sandbox cannot start with; the message names the variables at fault. */
export class SandboxConfigError extends Error {}

/** An unset and an empty variable mean the same: use the default (so `SANDBOX_PORT=` is not port 0). */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
}

/** A PEM key from the environment; literal `\n` escapes (one-line PEMs) are the same key. */
export function pem(kind: 'private' | 'public') {
  return z
    .string()
    .transform((v) => `${v.replace(/\\n/g, '\n').replace(/\r\n?/g, '\n').trim()}\n`)
    .refine((v) => {
      try {
        if (kind === 'private') createPrivateKey(v);
        else if (v.includes('PRIVATE KEY')) return false;
        else createPublicKey(v);
        return true;
      } catch {
        return false;
      }
    }, `must be a PEM ${kind} key`);
}
