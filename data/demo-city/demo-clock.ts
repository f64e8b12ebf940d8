/**
 * The demo city's "now": fixed, not the wall clock, so that the same seed gives the same city
 * on any day. Reports fall within the 180 days before it.
 */

/** 2026-11-01 00:00 in China Standard Time (UTC+8). */
export const referenceTime = Date.UTC(2026, 9, 31, 16, 0, 0);
export const reportWindowDays = 180;

const hour = 3_600_000;
export const day = 24 * hour;
const chinaOffset = 8 * hour;

/** ISO 8601 in China Standard Time, to the second: "2026-07-14T09:31:05+08:00". */
export function chinaTimestamp(epochMs: number): string {
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return new Date(wholeSeconds + chinaOffset).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

/** "20260714": the local date, as case numbers use it. */
export function chinaDateDigits(epochMs: number): string {
  return new Date(epochMs + chinaOffset).toISOString().slice(0, 10).replaceAll('-', '');
}

export function hoursAfter(epochMs: number, hours: number): number {
  return epochMs + hours * hour;
}
