/** A write that found its row changed by a concurrent transaction since it was read. */
export class WriteConflictError extends Error {
  override readonly name = 'WriteConflictError';
}
