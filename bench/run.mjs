// `npm run bench [suite...]`: runs the benchmark suites (stats, instrument, aggregator) against the built packages.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const requested = process.argv.slice(2);
const suites = (await readdir(here)).filter((f) => f.endsWith('.bench.mjs')).map((f) => f.replace('.bench.mjs', '')).sort();
const chosen = requested.length ? suites.filter((s) => requested.includes(s)) : suites;
console.log(`# driftwatch benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const s of chosen) {
  await import(pathToFileURL(join(here, `${s}.bench.mjs`)).href);
}
