import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Links to the gateway's customer pages (the OVO waiting page, the wallets' return link) carry a signature,
 * so a tXid alone does not open someone's payment page.
 */
export function pageSignature(secret: string, tXid: string): string {
  return createHmac('sha256', secret).update(`page:${tXid}`).digest('hex').slice(0, 32);
}

export function pageSignatureValid(secret: string, tXid: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(pageSignature(secret, tXid));
  const received = Buffer.from(given);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Where a redirect wallet sends the customer's browser back to: the gateway, which then ends on the merchant's page. */
export function walletReturnUrl(publicBaseUrl: string, secret: string, tXid: string): string {
  return `${publicBaseUrl}/nicepay/direct/v2/payment/return/${encodeURIComponent(tXid)}?sig=${pageSignature(secret, tXid)}`;
}

/** Where AstraPay's registration page sends the customer back to: the gateway, which then ends on the merchant's page. */
export function linkReturnUrl(publicBaseUrl: string, secret: string, iMid: string, mandateID: string): string {
  return `${publicBaseUrl}/nicepay/api/link/return/${encodeURIComponent(iMid)}/${encodeURIComponent(mandateID)}?sig=${pageSignature(secret, linkPageId(iMid, mandateID))}`;
}

export function linkPageId(iMid: string, mandateID: string): string {
  return `link/${iMid}/${mandateID}`;
}
