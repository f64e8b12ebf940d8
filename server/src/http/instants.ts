/** Dates and times from requests, read strictly: the one parser for filters and for property values. */

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:Z|([+-])(\d{2}):?(\d{2}))?)?$/;

/** PostgreSQL has no year 0 and four digits reach no further: the instants a filter may name. */
const earliestInstant = Date.parse('0001-01-01T00:00:00Z');
const latestInstant = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An RFC 3339 date or date-time as an instant, or why it names none. Every part is checked by a
 * round trip, since Date rolls 2026-02-30 over to March 2 without a word. A time without an
 * offset is read as UTC.
 */
export function readInstant(text: string): { instant: Date } | { reason: string } {
  const match = rfc3339.exec(text);
  if (!match) return { reason: `${JSON.stringify(text)} is not an RFC 3339 date or date-time` };
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const milliseconds = Math.floor(Number(`0${match[7] ?? ''}`) * 1000);
  const [sign, offsetHours, offsetMinutes] = [match[8] === '-' ? -1 : 1, Number(match[9] ?? 0), Number(match[10] ?? 0)];
  const wallClock = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0 to 99 as 1900 to 1999.
  wallClock.setUTCFullYear(year, month - 1, day);
  wallClock.setUTCHours(hour, minute, second, milliseconds);
  const real =
    wallClock.getUTCFullYear() === year &&
    wallClock.getUTCMonth() === month - 1 &&
    wallClock.getUTCDate() === day &&
    wallClock.getUTCHours() === hour &&
    wallClock.getUTCMinutes() === minute &&
    wallClock.getUTCSeconds() === second &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!real) return { reason: `${JSON.stringify(text)} is not a real date and time` };
  const instant = wallClock.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  if (instant < earliestInstant || instant > latestInstant) return { reason: `${JSON.stringify(text)} is outside 0001-01-01 to 9999-12-31` };
  return { instant: new Date(instant) };
}

/** True when `text` names a real instant whose year lies within the given range. */
export function isInstantWithin(text: string, firstYear: number, lastYear: number): boolean {
  const read = readInstant(text);
  if (!('instant' in read)) return false;
  const year = read.instant.getUTCFullYear();
  return year >= firstYear && year <= lastYear;
}
