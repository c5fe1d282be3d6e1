/**
 * Rate control shared by Run Command, State Manager and maintenance window tasks (ssm-api.md §10.1):
 * MaxConcurrency and MaxErrors as absolute counts or percentages of the resolved targets.
 */

/** `MaxConcurrency`: a positive count or 1%–100%. */
export const maxConcurrencyPattern = /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/;
/** `MaxErrors`: a count (0 allowed) or 0%–100%. */
export const maxErrorsPattern = /^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/;

/** SSM's defaults when a command names neither. */
export const defaultMaxConcurrency = '50';
export const defaultMaxErrors = '0';

const percentOf = (value: string): number | undefined =>
  value.endsWith('%') ? Number(value.slice(0, -1)) : undefined;

/**
 * How many targets may run at once: the count, or `ceil(pct × targets)` and at least 1 (a sliding window; AWS
 * ramps up exponentially to the same limit).
 */
export function concurrencyLimit(maxConcurrency: string, targetCount: number): number {
  const percent = percentOf(maxConcurrency);
  if (percent === undefined) return Number(maxConcurrency);
  return Math.max(1, Math.ceil((percent * targetCount) / 100));
}

/**
 * How many errors a run tolerates: the count, or `floor(pct × targets)`. Dispatching stops when errors exceed
 * it (the (N+1)-th error); invocations already running finish.
 */
export function errorLimit(maxErrors: string, targetCount: number): number {
  const percent = percentOf(maxErrors);
  if (percent === undefined) return Number(maxErrors);
  return Math.floor((percent * targetCount) / 100);
}
