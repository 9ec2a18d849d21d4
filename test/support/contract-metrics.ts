/**
 * Reads the aggregator's metric contract, docs/metrics.md: every `driftwatch_*` metric with its type
 * and labels (and the label values the table lists in backticks, e.g. result (`accepted`, `rejected`)).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type ContractMetricType = 'counter' | 'gauge' | 'histogram';

export interface ContractLabel {
  readonly name: string;
  /** values listed in the table, empty when the table does not enumerate them */
  readonly values: readonly string[];
}

export interface ContractMetric {
  readonly name: string;
  readonly type: ContractMetricType;
  /** the type column as written, e.g. `gauge 0/1` */
  readonly typeText: string;
  readonly labels: readonly ContractLabel[];
}

export const METRICS_DOC_PATH = fileURLToPath(new URL('../../docs/metrics.md', import.meta.url));

/** Parses the markdown tables of docs/metrics.md. Throws when a row's type is not counter, gauge or histogram. */
export function parseContractMetrics(markdown: string): ContractMetric[] {
  const metrics: ContractMetric[] = [];
  for (const line of markdown.split('\n')) {
    const row = /^\|\s*`(driftwatch_[a-z0-9_]+)`\s*\|([^|]*)\|([^|]*)\|/.exec(line);
    if (row === null) continue;
    const [, name = '', typeCell = '', labelCell = ''] = row;
    const typeText = typeCell.trim();
    const type = typeText.split(/\s+/)[0];
    if (type !== 'counter' && type !== 'gauge' && type !== 'histogram') {
      throw new Error(`docs/metrics.md: ${name} has unknown type "${typeText}"`);
    }
    metrics.push({ name, type, typeText, labels: parseLabelCell(labelCell) });
  }
  return metrics;
}

function parseLabelCell(cell: string): ContractLabel[] {
  const text = cell.trim();
  if (text === '' || text === '—' || text === '-') return [];
  const labels: ContractLabel[] = [];
  // a label is `name` optionally followed by `( ... )`; the parentheses may contain commas
  const pattern = /([a-z_][a-z0-9_]*)\s*(\(([^)]*)\))?\s*(,|$)/g;
  for (const match of text.matchAll(pattern)) {
    const [, name = '', , inner = ''] = match;
    const values = [...inner.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    labels.push({ name, values });
  }
  return labels;
}

/** The contract as read from docs/metrics.md in this checkout. */
export function loadContractMetrics(): ContractMetric[] {
  return parseContractMetrics(readFileSync(METRICS_DOC_PATH, 'utf8'));
}

/** The series names a Prometheus scrape of `metric` produces (histograms: _bucket, _sum, _count). */
export function exposedSeriesNames(metric: ContractMetric): string[] {
  return metric.type === 'histogram' ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`] : [metric.name];
}
