import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { CallbackRejectedError } from './adapter.js';

/** Callbacks older or newer than this are refused: a replayed old callback changes nothing. */
export const CALLBACK_MAX_AGE_MS = 10 * 60 * 1000;

export function hmac(secret: string, data: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(data).digest(encoding);
}

/** Constant-time check of a callback signature; throws `CallbackRejectedError` (401) when it does not match. */
export function requireSignature(wallet: string, expected: string, given: string | undefined): void {
  const a = Buffer.from(expected);
  const b = Buffer.from(given ?? '');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new CallbackRejectedError(`bad ${wallet} callback signature`);
}

export function requireFresh(wallet: string, at: number): void {
  if (!Number.isFinite(at) || Math.abs(Date.now() - at) > CALLBACK_MAX_AGE_MS) throw new CallbackRejectedError(`${wallet} callback timestamp too old or in the future`);
}

export function parseCallbackJson<T>(wallet: string, schema: z.ZodType<T>, raw: Buffer): T {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new CallbackRejectedError(`${wallet} callback body is not JSON`, 400);
  }
  return parseCallbackFields(wallet, schema, json);
}

export function parseCallbackFields<T>(wallet: string, schema: z.ZodType<T>, fields: unknown): T {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new CallbackRejectedError(`malformed ${wallet} callback: ${parsed.error.issues[0]?.path.join('.') || 'body'}`, 400);
  return parsed.data;
}
