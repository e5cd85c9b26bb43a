import { createHash } from 'node:crypto';
import { ResultCode } from '../domain/result-codes.js';
import type { Merchant } from '../domain/merchants.js';
import type { Registration } from '../workflows/messages.js';
import { GatewayError } from './errors.js';
import { KeptField, keptFields } from './routes/registration.schema.js';
import type { RawFields } from './validate.js';

/** The merchant hashed the field as they sent it (trimmed text, or the JSON number): hash the same text. */
export function amtAsSent(raw: RawFields, parsed: number): string | number {
  const sent = raw.amt;
  return typeof sent === 'string' ? sent.trim() : parsed;
}

export function keptExtras(raw: RawFields): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const field of keptFields) {
    const parsed = KeptField.safeParse(raw[field]);
    if (parsed.success && parsed.data) extra[field] = parsed.data;
    else if (!parsed.success) throw new GatewayError(ResultCode.Malformed, `Invalid ${field}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return extra;
}

/** The registration's content, without its timestamp and token: equal fingerprints mean the same registration. */
export function fingerprint(registration: Registration): string {
  const canonical = JSON.stringify(registration, Object.keys(flatten(registration)).sort());
  return createHash('sha256').update(canonical).digest('hex');
}

function flatten(value: object, into: Record<string, true> = {}): Record<string, true> {
  for (const [k, v] of Object.entries(value)) {
    into[k] = true;
    if (v && typeof v === 'object') flatten(v as object, into);
  }
  return into;
}

/** A text field as the merchant sent it (trimmed), for tokens over it. */
export function textAsSent(raw: RawFields, field: string, parsed: string): string {
  const sent = raw[field];
  return typeof sent === 'string' ? sent.trim() : parsed;
}

/**
 * What the payment workflow keeps of a registration, whichever call made it (registration, linkInitiate): the
 * request's validated fields, the rest from the merchant and the route.
 */
export function registrationOf(merchant: Merchant, mitraCd: string, body: RequestFields, extra: Readonly<Record<string, string>>): Registration {
  return {
    iMid: merchant.iMid,
    merchantName: merchant.name,
    referenceNo: body.referenceNo,
    payMethod: body.payMethod,
    mitraCd,
    currency: body.currency,
    amt: body.amt,
    goodsNm: body.goodsNm,
    billingNm: body.billingNm,
    billingPhone: body.billingPhone,
    billingEmail: body.billingEmail,
    dbProcessUrl: body.dbProcessUrl,
    ...(body.callBackUrl ? { callBackUrl: body.callBackUrl } : {}),
    ...(body.description ? { description: body.description } : {}),
    extra,
  };
}

/** The fields of a validated request the registration keeps. */
type RequestFields = Pick<Registration, 'referenceNo' | 'payMethod' | 'currency' | 'amt' | 'goodsNm' | 'billingNm' | 'billingPhone' | 'billingEmail' | 'dbProcessUrl'> & {
  readonly callBackUrl?: string | undefined;
  readonly description?: string | undefined;
};
