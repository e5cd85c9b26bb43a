/** Jakarta is UTC+7 all year (no daylight saving), so a fixed offset is exact. */
const JAKARTA_OFFSET_MS = 7 * 3600_000;

/** How far `X-TIMESTAMP` may be from the wallet's clock, either way. */
export const SNAP_MAX_CLOCK_SKEW_MS = 300_000;

/** ISO 8601 with an offset, with or without fractions: SNAP senders vary (`+07:00`, `Z`, milliseconds). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The instant of a SNAP timestamp (epoch ms), or `undefined` when it is not ISO 8601 with an offset. */
export function parseSnapTime(value: string): number | undefined {
  if (!ISO_WITH_OFFSET.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * SNAP's body and header times as wallets write them: Jakarta, whole seconds, `2026-12-06T12:00:00+07:00`; OVO
 * writes milliseconds (`milliseconds`), `2026-12-06T12:00:00.000+07:00`.
 */
export function jakartaTime(at: Date | number | string = Date.now(), milliseconds = false): string {
  const ms = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : at.getTime();
  return `${new Date(ms + JAKARTA_OFFSET_MS).toISOString().slice(0, milliseconds ? 23 : 19)}+07:00`;
}

/** The Jakarta calendar day of an instant: the span within which an `X-EXTERNAL-ID` must be unique. */
export function jakartaDay(at: number = Date.now()): string {
  return new Date(at + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
}
