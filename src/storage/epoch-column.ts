/** Timestamps are stored as epoch milliseconds (bigint on PostgreSQL, which the driver may return as a string). */

/** A nullable epoch-milliseconds column as a Date, or undefined when null. */
export function dateOrUndefined(value: number | string | null): Date | undefined {
  return value === null ? undefined : new Date(Number(value));
}
