#!/usr/bin/env node
// The README's test command: type-check, lint, then jest; ends with the plain line
// "N passed, N failed" that CI reads (jest's own summary is not a recognised format).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const extra = process.argv.slice(2);
function step(name, cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${name} failed`);
    return false;
  }
  return true;
}

let ok = step('build', 'npx', ['tsc', '-p', 'tsconfig.build.json']);
ok = step('typecheck', 'npx', ['tsc', '--noEmit']) && ok;
ok = step('lint', 'npx', ['eslint', '.']) && ok;
ok = step('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']) && ok;
mkdirSync('test-output', { recursive: true });
const results = 'test-output/jest-results.json';
const jest = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    'node_modules/jest/bin/jest.js',
    '--json',
    `--outputFile=${results}`,
    ...extra,
  ],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
} else {
  failed = 1;
}
if (!ok) failed += 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && jest.status === 0 && failed === 0 ? 0 : 1);
