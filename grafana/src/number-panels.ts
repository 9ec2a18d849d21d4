import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

function isRow(panel: Panel | RowPanel): panel is RowPanel {
  return panel.type === 'row';
}

/**
 * Gives every panel (and every panel inside a row) a unique id, in layout order. The SDK leaves ids
 * unset; Grafana needs them for panel links and "view panel", and fixed ids keep the generated JSON stable.
 */
export function numberPanels(dashboard: Dashboard): Dashboard {
  let next = 1;
  const number = (panel: Panel | RowPanel): void => {
    panel.id = next++;
    if (isRow(panel)) panel.panels.forEach(number);
  };
  (dashboard.panels ?? []).forEach(number);
  return dashboard;
}
