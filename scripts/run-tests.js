#!/usr/bin/env node
// Runs every compiled test file (unit tests beside the code, e2e tests under test/) with node's test runner.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const roots = ['dist/src', 'dist/test'].filter((root) => existsSync(root));
const extra = process.argv.slice(2);
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-reporter=spec', ...extra, ...roots],
  { stdio: 'inherit', env: { ...process.env, BULWARK_LOG_LEVEL: process.env.BULWARK_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
