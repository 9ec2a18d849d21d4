/** The demo's closing verdict on the terminal, printed from the same data as drift-report.json. */
import type { DemoReport } from './demo-report.js';
import { describeResult } from './drift-api.js';
import { featureOf, type Observation } from './drift-observer.js';
import type { Terminal } from './terminal.js';

const num = (x: number, digits = 4): string => Number(x.toPrecision(digits)).toString();

export function printVerdict(t: Terminal, report: DemoReport, final: Observation, reportPath: string, keepRunning: boolean): void {
  const p = t.paint;
  const w = final.window;
  t.raw('');
  t.raw(p.bold(`Verdict — ${report.title}`));
  const dataset = w.datasetDrift === null ? 'not evaluated' : w.datasetDrift ? p.red('yes') : 'no';
  t.raw(`Data drift in the ${w.window} window (${w.predictions.toLocaleString('en-US')} predictions; dataset drift: ${dataset}, ${w.driftedFeatures} of ${w.evaluatedFeatures} features drifted):`);
  const width = Math.max(...report.features.map((f) => f.feature.length));
  const order = [...report.features].sort((a, b) => Number(b.verdict === 'drift') - Number(a.verdict === 'drift'));
  for (const f of order) {
    const r = featureOf(final, f.feature)?.drift;
    const parts = [r ? describeResult(r) : f.verdict];
    if (f.verdict === 'drift') parts.push(f.timeToDetectSeconds === null ? 'drifted before the change' : `detected ${f.timeToDetectSeconds.toFixed(1)} s after the change`);
    if (f.psi !== null) parts.push(`psi ${num(f.psi, 3)}`);
    if (f.meanShift) {
      const rel = f.meanShift.relative === null ? '' : ` (${f.meanShift.relative >= 0 ? '+' : ''}${(f.meanShift.relative * 100).toFixed(1)}%)`;
      parts.push(`mean ${num(f.meanShift.reference)} → ${num(f.meanShift.current)}${rel}`);
    }
    if (f.newCategoryRatio !== null && f.newCategoryRatio > 0) parts.push(`new categories ${(f.newCategoryRatio * 100).toFixed(1)}%`);
    const label = f.verdict === 'drift' ? p.red('DRIFT    ') : f.verdict === 'no drift' ? p.green('no drift ') : p.yellow(f.verdict.padEnd(9));
    t.raw(`  ${label} ${f.feature.padEnd(width)}  ${parts.join(' · ')}`);
  }
  const perf = Object.entries(report.performance.metrics)
    .filter(([m]) => ['accuracy', 'roc_auc'].includes(m))
    .map(([m, v]) => `${m} ${v.toFixed(3)}`);
  if (perf.length > 0) t.raw(`Performance from ${report.performance.feedbackSamples.toLocaleString('en-US')} labels: ${perf.join(', ')} (SLA ${Object.entries(report.performance.sla).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`);
  t.raw(report.alerts.length === 0 ? 'Threshold alerts: none fired' : 'Threshold alerts:');
  for (const a of report.alerts) {
    const when = a.secondsAfterChange === null ? '' : ` ${a.secondsAfterChange.toFixed(1)} s after the change`;
    const hook = a.webhook === null ? '' : a.webhook.ok ? ` → webhook HTTP ${a.webhook.status}` : p.red(` → webhook FAILED: ${a.webhook.error}`);
    t.raw(`  ${a.severity === 'low' ? p.yellow(a.name) : p.red(a.name)} [${a.severity}]${when}: ${a.summary}${hook}`);
  }
  if (report.timeline.length > 0) {
    t.raw(report.changeStartedAt === null ? 'Timeline:' : 'Timeline (seconds after the change began):');
    const first = Date.parse(report.timeline[0]?.at ?? '');
    const stageWidth = Math.max(...report.timeline.map((e) => e.stage.length));
    for (const e of report.timeline) {
      const seconds = e.secondsAfterChange ?? (Date.parse(e.at) - first) / 1000;
      t.raw(`  ${`${seconds >= 0 ? '+' : ''}${seconds.toFixed(1)}s`.padStart(7)}  ${p.cyan(e.stage.padEnd(stageWidth))}  ${e.text}`);
    }
  }
  t.raw('Checks:');
  for (const c of report.checks) t.raw(`  ${c.passed ? p.green('✔') : p.red('✘')} ${c.name} — ${c.detail}`);
  for (const n of report.notes) t.raw(p.dim(`Note: ${n}`));
  t.raw(`Report page: ${p.cyan(report.reportUrl)}${keepRunning ? '' : p.dim(' (served while the demo runs; add --keep-running to browse it)')}`);
  t.raw(`Wrote ${reportPath}`);
  const failed = report.checks.filter((c) => !c.passed).length;
  const hookFailures = report.alerts.filter((a) => a.webhook !== null && !a.webhook.ok).length;
  if (report.passed) t.raw(p.green(p.bold(`PASS — every check held (${report.durationSeconds.toFixed(1)} s)`)));
  else t.raw(p.red(p.bold(`FAIL — ${failed} check${failed === 1 ? '' : 's'} failed${hookFailures > 0 ? `, ${hookFailures} webhook deliver${hookFailures === 1 ? 'y' : 'ies'} failed` : ''} (${report.durationSeconds.toFixed(1)} s)`)));
}
