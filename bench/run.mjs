// `npm run bench [suite...]`: runs the benchmark suites (stats, instrument, aggregator) against the built packages.
// Each suite runs in a process of its own: suites share library code, and the types one suite feeds a function (say,
// the aggregator's window data) change how V8 compiles it for the next: bench/stats' drift case takes 10.4 machine
// checks (see harness.mjs) after the other two suites in one process, 8.6-9.0 alone.
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const requested = process.argv.slice(2);
const suites = (await readdir(here)).filter((f) => f.endsWith('.bench.mjs')).map((f) => f.replace('.bench.mjs', '')).sort();
const unknown = requested.filter((s) => !suites.includes(s));
if (unknown.length) {
  console.error(`unknown benchmark suite(s): ${unknown.join(', ')} (known: ${suites.join(', ')})`);
  process.exit(2);
}
const chosen = requested.length ? suites.filter((s) => requested.includes(s)) : suites;
console.log(`# driftwatch benchmarks — node ${process.version}, ${new Date().toISOString()}`);
let failed = false;
for (const s of chosen) {
  // the same node flags (e.g. --expose-gc for the memory figures), stdout and stderr passed through
  const run = spawnSync(process.execPath, [...process.execArgv, join(here, `${s}.bench.mjs`)], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`benchmark suite ${s} failed (${run.signal ?? `exit ${run.status}`})`);
    failed = true;
  }
}
if (failed) process.exit(1);
