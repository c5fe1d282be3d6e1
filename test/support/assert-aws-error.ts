/** E2E support: asserts that an SDK call fails with a given AWS exception. */
import assert from 'node:assert/strict';

/** What an SDK error exposes. */
export interface AwsErrorShape {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Awaits `call`, asserts it rejects with exception `name` and HTTP `status`, and returns the error. */
export async function expectAwsError(
  call: Promise<unknown>,
  name: string,
  status: number,
  message?: RegExp,
): Promise<AwsErrorShape> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected ${name} but the call succeeded`);
  const error = caught as AwsErrorShape;
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  assert.equal(error.$metadata?.httpStatusCode, status, `HTTP status of ${name}`);
  if (message !== undefined) assert.match(error.message, message);
  return error;
}
