import type { ModelEntry, VersionEntry, VersionStatus } from './api-types.js';
import { el } from './dom.js';
import { ago, count } from './format.js';

export interface Selection {
  readonly model: string;
  readonly version: string;
  readonly window?: string;
}

/** The page location of a selection (`#model=…&version=…&window=…`, every name URL-encoded). */
export function selectionHash(s: Selection): string {
  const q = new URLSearchParams({ model: s.model, version: s.version });
  if (s.window !== undefined) q.set('window', s.window);
  return `#${q.toString()}`;
}

/** The health shown for a version: the API's status, refined with the drifted-feature count of its first window. */
export function health(v: VersionEntry): { label: string; tone: 'bad' | 'warn' | 'good' | 'idle' } {
  const statusLabels: Record<VersionStatus, { label: string; tone: 'bad' | 'warn' | 'good' | 'idle' }> = {
    drift: { label: 'dataset drift', tone: 'bad' },
    ok: { label: 'healthy', tone: 'good' },
    insufficient_data: { label: 'collecting data', tone: 'idle' },
    no_data: { label: 'no data', tone: 'idle' },
    no_reference: { label: 'no reference', tone: 'warn' },
  };
  const drifted = Math.max(0, ...(v.windows ?? []).map((w) => w.driftedFeatures));
  if (v.status === 'ok' && drifted > 0) return { label: `${drifted} feature${drifted === 1 ? '' : 's'} drifted`, tone: 'warn' };
  return statusLabels[v.status];
}

export function badge(text: string, tone: 'bad' | 'warn' | 'good' | 'idle'): HTMLSpanElement {
  return el('span', { class: `badge badge-${tone}` }, text);
}

function driftCell(v: VersionEntry): string {
  const w = v.windows?.[0];
  if (!w) return '—';
  return w.evaluatedFeatures > 0 ? `${w.driftedFeatures} of ${w.evaluatedFeatures} (${w.window})` : `— (${w.window})`;
}

/** The model list: one row per model version with its health, drifted features, volume and last-seen time. */
export function modelsTable(models: readonly ModelEntry[], selected: Selection | undefined, onSelect: (s: Selection) => void): HTMLElement {
  if (models.length === 0) {
    return el(
      'p',
      { class: 'empty' },
      'No models yet. Point a model server wrapped with monitor() at this aggregator (OTLP/HTTP on port 4318), or push a reference with driftwatch reference push.',
    );
  }
  const rows: HTMLTableRowElement[] = [];
  for (const m of models) {
    for (const v of m.versions) {
      const h = health(v);
      const isSelected = selected?.model === m.name && selected.version === v.version;
      const link = el('a', { attrs: { href: selectionHash({ model: m.name, version: v.version }) } }, m.name);
      rows.push(
        el(
          'tr',
          {
            class: isSelected ? 'selected' : '',
            attrs: { 'data-model': m.name, 'data-version': v.version, 'data-testid': 'model-row' },
            onClick: (e) => {
              e.preventDefault();
              onSelect({ model: m.name, version: v.version });
            },
          },
          el('td', { class: 'name' }, link),
          el('td', {}, v.version),
          el('td', {}, badge(h.label, h.tone)),
          el('td', {}, driftCell(v)),
          el('td', { class: 'num' }, count(v.predictions)),
          el('td', {}, ago(v.lastSeen)),
          el('td', {}, v.reference ? `${v.reference.source}, ${count(v.reference.rowCount)} rows` : 'none'),
        ),
      );
    }
  }
  return el(
    'table',
    { class: 'models' },
    el(
      'thead',
      {},
      el('tr', {}, el('th', {}, 'Model'), el('th', {}, 'Version'), el('th', {}, 'Health'), el('th', {}, 'Drifted features'), el('th', { class: 'num' }, 'Predictions'), el('th', {}, 'Last seen'), el('th', {}, 'Reference')),
    ),
    el('tbody', {}, ...rows),
  );
}
