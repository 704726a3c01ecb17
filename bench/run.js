#!/usr/bin/env node
// Compiles bench/*.ts (and the src/ modules they import) into dist-bench/, then runs every
// compiled bench in name order, each in its own process; arguments are passed through.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const args = process.argv.slice(2);

const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'bench', 'tsconfig.json')], {
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error('bench: compiling bench/ failed');
  process.exit(1);
}

const dir = join(root, 'dist-bench', 'bench');
const benches = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .sort()
  : [];
if (benches.length === 0) {
  console.error(`bench: nothing to run in ${dir}`);
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, [join(dir, file), ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
