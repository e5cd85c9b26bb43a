/**
 * NICEPAY's date fields are Jakarta wall-clock time (WIB, UTC+7, no daylight saving).
 * Pure functions of a Date so workflow code may use them with its deterministic clock.
 */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

function wibParts(at: Date): string {
  // ISO string of the shifted instant: "2026-11-25T21:38:45.000Z" → digits only.
  return new Date(at.getTime() + WIB_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 14);
}

/** `YYYYMMDD` in WIB. */
export function nicepayDate(at: Date): string {
  return wibParts(at).slice(0, 8);
}

/** `HHmmss` in WIB. */
export function nicepayTime(at: Date): string {
  return wibParts(at).slice(8, 14);
}

/** `YYYYMMDDHHmmss` in WIB, the shape of NICEPAY's `timeStamp`. */
export function nicepayTimestamp(at: Date): string {
  return wibParts(at);
}
