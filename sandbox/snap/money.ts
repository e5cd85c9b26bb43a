import { z } from 'zod';

/** SNAP's `{ value: "15000.00", currency: "IDR" }`: two decimals; whole rupiah in the sandbox. */
export const SnapMoney = z.object({
  value: z
    .string()
    .regex(/^(0|[1-9]\d{0,14})\.\d{2}$/, 'a decimal string with exactly 2 decimals, e.g. "15000.00"')
    .refine((v) => v.endsWith('.00') && v !== '0.00', 'a positive whole number of rupiah ("….00")'),
  currency: z.literal('IDR'),
});
export type SnapMoney = z.infer<typeof SnapMoney>;

export const snapMoney = (rupiah: number): SnapMoney => ({ value: `${rupiah}.00`, currency: 'IDR' });
export const rupiahOf = (money: SnapMoney): number => Number(money.value.slice(0, -3));
