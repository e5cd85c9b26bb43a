import type { Merchant, MerchantDirectory } from '../domain/merchants.js';
import { tokenMatches } from '../domain/merchant-token.js';
import { ResultCode } from '../domain/result-codes.js';
import { GatewayError } from './errors.js';
import type { RawFields } from './validate.js';

export function knownMerchant(merchants: MerchantDirectory, raw: RawFields): Merchant {
  const iMid = typeof raw.iMid === 'number' ? String(raw.iMid) : raw.iMid;
  if (iMid === undefined || iMid === null || (typeof iMid === 'string' && iMid.trim() === '')) throw new GatewayError(ResultCode.UnknownMerchant, 'Unknown iMid: iMid is required');
  if (typeof iMid !== 'string') throw new GatewayError(ResultCode.UnknownMerchant, 'Unknown iMid: must be text');
  const merchant = merchants.find(iMid.trim());
  if (!merchant) throw new GatewayError(ResultCode.UnknownMerchant, 'Unknown iMid');
  return merchant;
}

/** Refuses a wrong token before anything changes; the comparison takes constant time. */
export function requireToken(expected: string, received: string): void {
  if (!tokenMatches(expected, received)) throw new GatewayError(ResultCode.InvalidToken, 'Invalid merchantToken');
}
