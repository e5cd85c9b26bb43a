import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import type { WalletSecrets } from '../config.js';
import { rawBodyOf, sameSecret } from '../wallet-api.js';

/**
 * ShopeePay's signature of a body (`X-Airpay-Req-H`): base64 HMAC-SHA256 of the exact body bytes, keyed with
 * SHOPEEPAY_CLIENT_SECRET for the gateway's requests and SHOPEEPAY_CALLBACK_SECRET for the wallet's callbacks.
 */
export function signShopeePayBody(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/** What is wrong with a request's ShopeePay authentication, or `undefined` when it is right. */
export function shopeePayAuthProblem(req: Request, client: WalletSecrets): string | undefined {
  const clientId = req.get('X-Airpay-ClientId');
  const signature = req.get('X-Airpay-Req-H');
  if (clientId === undefined || !sameSecret(clientId, client.clientId)) return 'unknown client id';
  if (signature === undefined || !sameSecret(signature, signShopeePayBody(rawBodyOf(req), client.clientSecret))) return 'invalid signature';
  return undefined;
}
