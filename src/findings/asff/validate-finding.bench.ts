/**
 * Micro-benchmark of validateFinding over the published ASFF samples (not run by the tests).
 * Run after a build: `node dist/src/findings/asff/validate-finding.bench.js`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asffFindingSchema } from './asff-schema.js';
import { validateFinding } from './validate-finding.js';

const iterations = 50_000;
// The samples are test fixtures in this repository; this file runs from dist/src/findings/asff/.
const samplesDir = fileURLToPath(new URL('../../../../test/fixtures/asff', import.meta.url));

const samples = readdirSync(samplesDir)
  .filter((file) => file.endsWith('.json'))
  .flatMap(
    (file) => JSON.parse(readFileSync(path.join(samplesDir, file), 'utf8')) as Record<string, unknown>[],
  );
// Rewrite the placeholders SOURCES.md says must be rewritten, so every sample is a valid finding.
for (const sample of samples) {
  if (sample.AwsAccountId === '000000') sample.AwsAccountId = '123456789012';
  for (const resource of sample.Resources as Record<string, unknown>[]) {
    if (resource.Region === '') resource.Region = 'eu-west-2';
  }
}
const averageBytes = samples.reduce((sum, sample) => sum + JSON.stringify(sample).length, 0) / samples.length;

/** Runs `validate` over the samples `iterations` times and returns microseconds per finding. */
function measure(validate: (finding: unknown) => boolean): number {
  for (let index = 0; index < 5_000; index++) validate(samples[index % samples.length]);
  const start = process.hrtime.bigint();
  let valid = 0;
  for (let index = 0; index < iterations; index++) {
    if (validate(samples[index % samples.length])) valid++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1_000;
  if (valid !== iterations) throw new Error(`only ${valid} of ${iterations} validations passed`);
  return elapsed / iterations;
}

const compiled = measure((finding) => validateFinding(finding).ok);
const zod = measure((finding) => asffFindingSchema.safeParse(finding).success);
console.log(`${samples.length} samples, ${Math.round(averageBytes)} bytes of JSON on average`);
console.log(`validateFinding: ${compiled.toFixed(2)} µs per finding over ${iterations} validations`);
console.log(`zod safeParse:   ${zod.toFixed(2)} µs per finding (for comparison)`);
