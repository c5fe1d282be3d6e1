/** Splits values into slices of at most `size`: bounded IN lists and multi-row inserts (both engines cap parameters). */
export function chunk<T>(values: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < values.length; start += size) parts.push(values.slice(start, start + size));
  return parts;
}
