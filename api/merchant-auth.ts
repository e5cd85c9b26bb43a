import type { Merchant, MerchantDirectory } from '../domain/merchants.js';
import { tokenMatches } from '../domain/merchant-token.js';
import { ResultCode } from '../domain/result-codes.js';
import { GatewayError } from './errors.js';
import type { RawFields } from './validate.js';

export function knownMerchant(merchants: MerchantDirectory, raw: RawFields): Merchant {
  const iMid = raw.iMid;
  if (typeof iMid !== 'string' || iMid.trim() === '') throw new GatewayError(ResultCode.UnknownMerchant, 'Unknown iMid: iMid is required');
  const merchant = merchants.find(iMid.trim());
  if (!merchant) throw new GatewayError(ResultCode.UnknownMerchant, 'Unknown iMid');
  return merchant;
}

/** Refuses a wrong token before anything changes; the comparison takes constant time. */
export function requireToken(expected: string, received: string): void {
  if (!tokenMatches(expected, received)) throw new GatewayError(ResultCode.InvalidToken, 'Invalid merchantToken');
}
