import { z } from 'zod';

/** A SNAP amount: a decimal string with two places, in IDR. */
export const snapMoneyField = z.object({ value: z.string().regex(/^\d+\.\d{2}$/), currency: z.literal('IDR') });

/**
 * SNAP amounts are decimal strings with two places; the gateway's are whole rupiah. Never rounded: "14999.50" is not
 * 15000, so a notify or status for it fails the amount check instead of passing it.
 */
export const toSnapMoney = (rupiah: number) => ({ value: rupiah.toFixed(2), currency: 'IDR' as const });
export const fromSnapMoney = (m: { value: string }): number => Number(m.value);
