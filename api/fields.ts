import { z } from 'zod';

/**
 * Field schemas shared by the NICEPAY routes. Merchants send JSON or form bodies, numbers as strings or
 * numbers (CONTRACT §2): every field is read as text first, then checked.
 */
const text = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

export const requiredText = (max: number) => text.pipe(z.string().min(1).max(max, `at most ${max} characters`));
export const optionalText = (max: number) => text.pipe(z.string().max(max, `at most ${max} characters`)).optional();

/** `YYYYMMDDHHmmss`, a real calendar date and time of day. */
export const timeStamp = text.pipe(
  z
    .string()
    .regex(/^\d{14}$/, 'must be YYYYMMDDHHmmss')
    .refine((t) => {
      const [y, mo, d, h, mi, s] = [t.slice(0, 4), t.slice(4, 6), t.slice(6, 8), t.slice(8, 10), t.slice(10, 12), t.slice(12, 14)].map(Number);
      const date = new Date(Date.UTC(y ?? 0, (mo ?? 0) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0));
      return date.getUTCMonth() === (mo ?? 0) - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
    }, 'must be a real date and time (YYYYMMDDHHmmss)'),
);

/** Integer rupiah, at most 10^13 (NICEPAY's amt is a 12-digit field; leave headroom, never a float). */
export const amt = text.pipe(z.string().regex(/^[1-9]\d{0,12}$/, 'must be a positive whole number of rupiah')).transform(Number);

export const phone = text.pipe(z.string().regex(/^\+?\d{8,15}$/, 'must be 8 to 15 digits'));

export const email = text.pipe(z.email('must be an e-mail address').max(100));

export const httpUrl = text.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(1000));

export const merchantTokenField = text.pipe(z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters'));

export const txId = text.pipe(z.string().min(1).max(30, 'at most 30 characters'));
