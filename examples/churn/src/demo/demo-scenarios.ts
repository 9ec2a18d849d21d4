/**
 * The scenarios `npm run demo -- --scenario <name>` plays, in `--help` order (the first is the default).
 *
 * Extension point: to add a scenario (e.g. `retrain`, `bad-candidate`), write `scenarios/<name>.ts` exporting a
 * {@link DemoScenario} and append it here. The runner needs no change: it starts the stack (the scenario's
 * `configure` may extend the aggregator config), hands the scenario a DemoContext, and turns the returned checks
 * into the verdict, drift-report.json and the exit code.
 */
import type { DemoScenario } from './demo-scenario.js';
import { badCandidateScenario } from './scenarios/bad-candidate.js';
import { conceptScenario } from './scenarios/concept.js';
import { newCategoryScenario } from './scenarios/new-category.js';
import { noDriftScenario } from './scenarios/no-drift.js';
import { outageScenario } from './scenarios/outage.js';
import { retrainScenario } from './scenarios/retrain.js';
import { shiftScenario } from './scenarios/shift.js';

export const DEMO_SCENARIOS: readonly DemoScenario[] = [shiftScenario, noDriftScenario, conceptScenario, outageScenario, newCategoryScenario, retrainScenario, badCandidateScenario];

/** The scenario named `name` in `scenarios`, or undefined. */
export function findScenario(name: string, scenarios: readonly DemoScenario[] = DEMO_SCENARIOS): DemoScenario | undefined {
  return scenarios.find((s) => s.name === name);
}
