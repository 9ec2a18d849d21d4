/**
 * Writes the dashboards built in grafana/src into grafana/dashboards/*.json (committed; Grafana provisions
 * them from there). Run with `npm run grafana:generate`; grafana/dashboards.test.ts fails when they are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, dashboardJson } from './src/index.js';

/** grafana/dashboards, whether this runs as grafana/generate.ts or compiled as grafana/dist/generate.js. */
function dashboardsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return basename(here) === 'dist' ? join(here, '..', 'dashboards') : join(here, 'dashboards');
}

const outDir = dashboardsDir();
mkdirSync(outDir, { recursive: true });
for (const { fileName, build } of DASHBOARDS) {
  const path = join(outDir, fileName);
  writeFileSync(path, dashboardJson(build()));
  console.log(`wrote ${path}`);
}
