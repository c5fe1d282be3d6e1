/**
 * Tests that mean something on one engine only. scripts/run-tests.js accepts a skip in CI only when its reason
 * comes from here ("only on PostgreSQL: …" in the SQLite pass, "only on SQLite: …" in the PostgreSQL pass).
 */
const url = process.env['BULWARK_TEST_DATABASE_URL'] ?? '';

/** The engine of this test pass: the runner's PostgreSQL pass sets BULWARK_TEST_DATABASE_URL. */
export const testEngine: 'sqlite' | 'postgres' = /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';

/** `{ skip }` options for a test of `engine` only: skipped, with the reason the runner recognises, on the other. */
export function onlyOn(engine: 'sqlite' | 'postgres', why: string): { skip: string | false } {
  if (engine === testEngine) return { skip: false };
  return { skip: `only on ${engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}: ${why}` };
}
