/** Jakarta is UTC+7 all year (no daylight saving), so a fixed offset is exact. */
const JAKARTA_OFFSET_MS = 7 * 3600_000;

/**
 * A SNAP `X-TIMESTAMP` (and DANA's body times such as `validUpTo`): ISO 8601 in Jakarta time with its offset and
 * whole seconds, `2026-12-06T12:00:00+07:00`. DANA's SDK validates body times against exactly this shape. OVO's
 * documentation writes milliseconds, `2026-12-06T12:00:00.000+07:00` (`milliseconds`).
 */
export function snapTimestamp(at: Date | number = Date.now(), milliseconds = false): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return `${new Date(ms + JAKARTA_OFFSET_MS).toISOString().slice(0, milliseconds ? 23 : 19)}+07:00`;
}

/** ISO 8601 with an offset (`Z` or `±hh:mm`), with or without fractions, as SNAP senders vary (WALLET-APIS.md). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The instant of a SNAP timestamp in epoch ms, or `undefined` when it is not ISO 8601 with an offset. */
export function parseSnapTimestamp(value: string | undefined): number | undefined {
  if (value === undefined || !ISO_WITH_OFFSET.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
