// Chart.js charts of the report page. Chart.js is loaded as its UMD bundle (/ui/vendor/chart.umd.min.js, served from
// the installed chart.js package), which defines the global `Chart` with every controller registered.
import type { Chart as ChartType, ChartConfiguration, ChartDataset } from 'chart.js';
import type { Distribution, TimelinePoint } from './api-types.js';
import { clock, num, pct } from './format.js';

declare const Chart: typeof ChartType;

export type AnyChart = ChartType;

export const COLORS = {
  reference: 'rgba(76, 120, 168, 0.55)',
  referenceBorder: 'rgb(76, 120, 168)',
  current: 'rgba(245, 133, 24, 0.55)',
  currentBorder: 'rgb(245, 133, 24)',
  sla: 'rgb(70, 70, 70)',
  series: ['rgb(76, 120, 168)', 'rgb(245, 133, 24)', 'rgb(84, 162, 75)', 'rgb(178, 121, 162)', 'rgb(228, 87, 86)', 'rgb(114, 183, 178)', 'rgb(157, 117, 93)'],
} as const;

const BASE_OPTIONS = {
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
} as const;

/** Labels and the two share series of a distribution, on common bins or categories. */
function distributionSeries(d: Distribution): { labels: string[]; tooltips: string[]; reference: Array<number | null>; current: Array<number | null> } {
  if (d.kind === 'numeric') {
    const bins = d.edges.length - 1;
    const labels: string[] = [];
    const tooltips: string[] = [];
    for (let i = 0; i < bins; i++) {
      const lo = d.edges[i] ?? 0;
      const hi = d.edges[i + 1] ?? lo;
      labels.push(num((lo + hi) / 2, 3));
      tooltips.push(`[${num(lo, 4)}, ${num(hi, 4)})`);
    }
    return { labels, tooltips, reference: d.reference ? [...d.reference] : [], current: d.current ? [...d.current] : [] };
  }
  return {
    labels: d.categories.map((c) => c.key),
    tooltips: d.categories.map((c) => c.key),
    reference: d.categories.map((c) => c.reference),
    current: d.categories.map((c) => c.current),
  };
}

/**
 * The reference and current distributions of one feature (or output) overlaid as bar charts of shares: numeric
 * features on the API's 20 common bins, categorical ones per category. Category labels are drawn on the canvas
 * (never parsed as HTML).
 */
export function distributionChart(canvas: HTMLCanvasElement, d: Distribution, compact: boolean): AnyChart {
  const s = distributionSeries(d);
  const datasets: ChartDataset<'bar', Array<number | null>>[] = [];
  if (s.reference.length > 0) {
    datasets.push({ label: 'reference', data: s.reference, backgroundColor: COLORS.reference, borderColor: COLORS.referenceBorder, borderWidth: 1, grouped: false, barPercentage: 1, categoryPercentage: d.kind === 'numeric' ? 1 : 0.8 });
  }
  if (s.current.length > 0) {
    datasets.push({ label: 'current', data: s.current, backgroundColor: COLORS.current, borderColor: COLORS.currentBorder, borderWidth: 1, grouped: false, barPercentage: d.kind === 'numeric' ? 1 : 0.6, categoryPercentage: d.kind === 'numeric' ? 1 : 0.8 });
  }
  const config: ChartConfiguration<'bar', Array<number | null>, string> = {
    type: 'bar',
    data: { labels: s.labels, datasets },
    options: {
      ...BASE_OPTIONS,
      plugins: {
        legend: { display: !compact, position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            title: (items) => s.tooltips[items[0]?.dataIndex ?? 0] ?? '',
            label: (item) => `${item.dataset.label ?? ''}: ${pct(item.parsed.y)}`,
          },
        },
      },
      scales: {
        x: { ticks: { display: !compact || d.kind === 'categorical', maxRotation: 0, autoSkip: true, font: { size: 10 } }, grid: { display: false } },
        y: { beginAtZero: true, ticks: { display: !compact, callback: (v) => pct(Number(v), 0) }, grid: { display: !compact } },
      },
    },
  };
  return new Chart(canvas, config);
}

export interface TimelineSeries {
  readonly label: string;
  readonly values: ReadonlyArray<number | null>;
  /** Dashed horizontal line (an SLA objective). */
  readonly dashed?: boolean;
  readonly color?: string;
}

/** A line chart over the timeline's points (x = each point's end time). */
export function timelineChart(
  canvas: HTMLCanvasElement,
  points: readonly TimelinePoint[],
  series: readonly TimelineSeries[],
  y: { min?: number; max?: number; format?: (v: number) => string } = {},
): AnyChart {
  const config: ChartConfiguration<'line', Array<number | null>, string> = {
    type: 'line',
    data: {
      labels: points.map((p) => clock(p.end)),
      datasets: series.map((s, i) => ({
        label: s.label,
        data: [...s.values],
        borderColor: s.color ?? COLORS.series[i % COLORS.series.length],
        backgroundColor: s.color ?? COLORS.series[i % COLORS.series.length],
        borderDash: s.dashed ? [6, 4] : [],
        pointRadius: s.dashed ? 0 : 2,
        borderWidth: s.dashed ? 1.5 : 2,
        spanGaps: false,
        tension: 0,
      })),
    },
    options: {
      ...BASE_OPTIONS,
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${y.format ? y.format(item.parsed.y ?? NaN) : num(item.parsed.y)}` } },
      },
      scales: {
        x: { ticks: { maxRotation: 0, autoSkip: true, font: { size: 10 } } },
        y: { ...(y.min === undefined ? {} : { min: y.min }), ...(y.max === undefined ? {} : { max: y.max }), ticks: { callback: (v) => (y.format ? y.format(Number(v)) : num(Number(v))) } },
      },
    },
  };
  return new Chart(canvas, config);
}
