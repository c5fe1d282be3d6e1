/** Parsing of the RFC 3339 subset that ASFF fields and filters accept (spec §1.5). */

// The CloudFormation pattern of §1.5, with the documented limit of 9 fractional digits.
const asffTimestampPattern =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:([01]\d|2[0-3]):([0-5]\d):([0-5]\d)|(23):(59):(60))(?:\.(\d{1,9}))?(Z|([+-])(\d\d)(?::?(\d\d))?)$/;

const maxOffsetMinutes = 18 * 60;

/** Returns the instant (epoch ms; digits past milliseconds are dropped) an ASFF timestamp denotes, or undefined. */
export function parseAsffTimestamp(text: string): number | undefined {
  const match = asffTimestampPattern.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? match[7]);
  const minute = Number(match[5] ?? match[8]);
  const second = Number(match[6] ?? match[9]);
  if (day > daysInMonth(year, month)) return undefined;
  const millis = match[10] === undefined ? 0 : Number(match[10].padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (match[11] !== 'Z') {
    offsetMinutes = Number(match[13]) * 60 + Number(match[14] ?? '0');
    if (Number(match[14] ?? '0') > 59 || offsetMinutes > maxOffsetMinutes) return undefined;
    if (match[12] === '-') offsetMinutes = -offsetMinutes;
  }
  // setUTCFullYear keeps years 0000-0099 literal, which Date.UTC would map to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offsetMinutes * 60_000;
}

/** Orders two ASFF timestamps as instants to the nanosecond (negative, 0, positive); unparsable sorts first. */
export function compareAsffTimestamps(a: string, b: string): number {
  const ms = (parseAsffTimestamp(a) ?? -Infinity) - (parseAsffTimestamp(b) ?? -Infinity);
  if (ms !== 0 && !Number.isNaN(ms)) return ms;
  return subMillisecondNanos(a) - subMillisecondNanos(b);
}

/** The fraction of a timestamp below the millisecond, in nanoseconds (0–999,999). */
function subMillisecondNanos(text: string): number {
  const fraction = asffTimestampPattern.exec(text)?.[10];
  return fraction === undefined ? 0 : Number(fraction.padEnd(9, '0').slice(3));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
