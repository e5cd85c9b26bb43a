/** Indonesian mobile numbers every sandbox wallet accepts: 08…, 628…, +628… followed by 7–12 digits. */
export const PHONE_PATTERN = /^(08|628|\+628)[0-9]{7,12}$/;

/** One number in one spelling (08…), so a number sent as 628… or +628… is the same customer. */
export function canonicalPhone(phone: string): string {
  if (phone.startsWith('+628')) return `08${phone.slice(4)}`;
  if (phone.startsWith('628')) return `08${phone.slice(3)}`;
  return phone;
}

/** What a person types may have spaces or dashes: `0812-3456 7899`. */
export function normalizeTypedPhone(phone: string): string {
  return phone.trim().replace(/[\s-]/g, '');
}
