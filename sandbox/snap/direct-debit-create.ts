import { z } from 'zod';
import type { CheckoutSimulator } from '../checkout/simulator.js';
import { rupiahOf, type SnapMoney } from './money.js';
import { parseSnapTime } from './time.js';

/** A SNAP time in a body: ISO 8601 with an offset. */
export const SnapTime = z.string().refine((v) => parseSnapTime(v) !== undefined, 'ISO 8601 with an offset, e.g. 2026-12-06T12:00:00+07:00');

/** SNAP's `urlParams`: where the browser returns (`PAY_RETURN`) and where the wallet notifies (`PAY_NOTIFY`). */
export const UrlParam = z.object({
  url: z.url({ protocol: /^https?$/ }).max(512),
  type: z.enum(['PAY_RETURN', 'PAY_NOTIFY']),
  isDeeplink: z.enum(['Y', 'N']),
});

/** What every Direct Debit create (`payment-host-to-host`) carries, whoever the customer is. */
export interface DirectDebitOrder {
  readonly partnerReferenceNo: string;
  readonly amount: SnapMoney;
  readonly validUpTo: string;
  readonly urlParams?: readonly z.infer<typeof UrlParam>[] | undefined;
  readonly additionalInfo: { readonly remark?: string | undefined };
}

/**
 * A Direct Debit create on the checkout core (the standard's, and AstraPay's on a bound account): `PAY_RETURN` is where
 * the browser goes back whatever the outcome, `PAY_NOTIFY` where the notify goes; the same request again is the same
 * reply. `page`: the customer's page for a payment (`webRedirectUrl`); none for a push.
 */
export function createDirectDebitPayment(
  simulator: CheckoutSimulator,
  body: DirectDebitOrder,
  raw: unknown,
  o: { readonly phone: string; readonly merchantName: string; readonly page?: ((walletRef: string) => string) | undefined },
): Record<string, unknown> {
  const returnUrl = body.urlParams?.find((p) => p.type === 'PAY_RETURN')?.url ?? '';
  const notifyUrl = body.urlParams?.find((p) => p.type === 'PAY_NOTIFY')?.url;
  const page = o.page;
  const { reply } = simulator.create(
    {
      merchantRef: body.partnerReferenceNo,
      amount: rupiahOf(body.amount),
      phone: o.phone,
      merchantName: o.merchantName,
      description: body.additionalInfo.remark ?? '',
      successUrl: returnUrl,
      failureUrl: returnUrl,
      expiresAt: new Date(parseSnapTime(body.validUpTo) ?? Date.now()).toISOString(),
      ...(notifyUrl !== undefined ? { notifyUrl } : {}),
    },
    raw,
    (p): Record<string, unknown> => ({
      referenceNo: p.walletRef,
      partnerReferenceNo: p.merchantRef,
      ...(page !== undefined ? { webRedirectUrl: page(p.walletRef) } : {}),
    }),
  );
  return reply;
}
