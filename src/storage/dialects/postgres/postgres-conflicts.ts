/** PostgreSQL errors that mean "another transaction got there first": the whole transaction may simply run again. */

const retryableStates = new Set([
  '23505', // unique_violation: a concurrent transaction inserted the same key (e.g. the same new finding)
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** Whether `error` is a PostgreSQL conflict that a fresh attempt of the same transaction resolves. */
export function isPostgresRetryableConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && retryableStates.has(code);
}
