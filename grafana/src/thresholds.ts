import type { Threshold } from '@grafana/grafana-foundation-sdk/dashboard';
import { ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';

/** Absolute thresholds: `base` colours everything below the first step. */
export function thresholds(base: string, ...steps: ReadonlyArray<readonly [number, string]>): ThresholdsConfigBuilder {
  const list: Threshold[] = [{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(list);
}
