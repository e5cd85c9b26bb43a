/**
 * Phone numbers never reach a log or an operator page in full: `081234561000` → `0812****1000`
 * (first four and last four kept, the middle starred). Only the customer's own phone page shows it whole.
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 8) return `${'*'.repeat(Math.max(phone.length - 2, 0))}${phone.slice(-2)}`;
  return `${phone.slice(0, 4)}****${phone.slice(-4)}`;
}

/**
 * Masks every Indonesian mobile number (08…, 628…, +628…, URL-encoded `%2B628…`) standing on its own in free
 * text, e.g. a request URL such as `/ovo/phone/081234561000`. Digits inside a longer token (an invoice) stay.
 */
export function maskPhonesIn(text: string): string {
  return text.replace(/(?<![0-9A-Za-z])(?:\+|%2B)?(?:08|628)\d{7,12}(?![0-9A-Za-z])/gi, (match) => maskPhone(match.replace(/^%2B/i, '+')));
}
