/**
 * SQLite errors that mean "another process holds the write lock": a deferred transaction that read before it
 * wrote cannot wait for the lock (its snapshot would be stale), so SQLite fails it at once instead of using
 * busy_timeout. Another process writing the same file (the `bulwark admin` command beside a running server)
 * causes it; the whole transaction may simply run again.
 */
export function isSqliteBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
