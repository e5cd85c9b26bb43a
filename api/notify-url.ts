import type { GatewayMode } from '../domain/config.js';
import type { Merchant } from '../domain/merchants.js';
import { urlRefusal } from '../domain/public-address.js';
import { ResultCode } from '../domain/result-codes.js';
import { GatewayError } from './errors.js';

/**
 * A `dbProcessUrl` the gateway would refuse to notify (a literal private address, `localhost` in production, a host
 * outside the merchant's `notifyHosts`) is refused at once as an invalid field (9001, CONTRACT §2) rather than
 * accepted and never delivered. Host names are resolved only when notifying: that check is the real guard.
 */
export function requireNotifiableUrl(mode: GatewayMode, merchant: Merchant, dbProcessUrl: string): void {
  const refusal = urlRefusal(dbProcessUrl, { mode, notifyHosts: merchant.notifyHosts });
  if (refusal) throw new GatewayError(ResultCode.Malformed, `Invalid dbProcessUrl: ${refusal}`);
}
