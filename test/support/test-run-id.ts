/** The test runner's id for this run (scripts/run-tests.js), so PostgreSQL artifacts can be dropped per run. */
export const testRunId: string = process.env['BULWARK_TEST_RUN_ID'] ?? `r${process.pid}`;
