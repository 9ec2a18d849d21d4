/**
 * The contract between the demo runner and a scenario. A scenario is one module under `demo/scenarios/` exporting a
 * {@link DemoScenario}, listed in `demo-scenarios.ts`; the runner owns everything around it (the stack, progress,
 * alerts, the verdict, `drift-report.json`, the report URL and the exit code). A scenario plays traffic through the
 * {@link DemoContext}, waits for the aggregator to see what it caused, and returns its checks: the demo exits
 * non-zero when any check fails.
 */
import type { TrafficProgress } from '../traffic.js';
import type { ScenarioName, ScenarioOptions } from '../scenarios.js';
import type { ModelServer } from '../server.js';
import type { DemoStack, StackEnvironment } from './demo-stack.js';
import type { DriftObserver, Observation } from './drift-observer.js';
import type { AlertTracker } from './threshold-alerts.js';

/** One thing the story claims, checked against what the aggregator reported. */
export interface DemoCheck {
  readonly name: string;
  readonly passed: boolean;
  /** the evidence, e.g. `wasserstein 0.196 ≥ 0.1` */
  readonly detail: string;
}

export interface ScenarioOutcome {
  /** one line: what was played */
  readonly title: string;
  /** when the scenario's change began (Unix ms): times to detect are measured from it; undefined when nothing changes */
  readonly changeStartedAtMs?: number;
  readonly checks: readonly DemoCheck[];
  /** extra lines for the verdict */
  readonly notes?: readonly string[];
  /** the story's key events in order (printed as the verdict's timeline and kept in drift-report.json) */
  readonly timeline?: readonly TimelineEvent[];
}

/** One event of a scenario's timeline. */
export interface TimelineEvent {
  /** Unix ms */
  readonly atMs: number;
  /** short, e.g. `dispatch`, `canary`, `promote` */
  readonly stage: string;
  readonly text: string;
}

export interface DemoScenario {
  /** the `--scenario` value */
  readonly name: string;
  /** one line for `--help` */
  readonly summary: string;
  /**
   * Extends the aggregator config before it starts (e.g. a retraining policy whose webhook target is
   * `env.hooksUrl`, a data directory under `env.workDir`); default: unchanged.
   */
  readonly configure?: (config: Record<string, unknown>, env: StackEnvironment) => Record<string, unknown>;
  run(ctx: DemoContext): Promise<ScenarioOutcome>;
}

/** Traffic and pacing knobs (CLI options). */
export interface DemoSettings {
  /** rows per second sent to POST /predict */
  readonly ratePerSecond: number;
  /** rows per request */
  readonly batchSize: number;
  /** seed of the stable traffic; a change phase uses seed + 1 */
  readonly seed: number;
  /** minimum length of the stable phase */
  readonly stableSeconds: number;
  /** longest a change phase plays before the scenario gives up waiting for detection */
  readonly maxChangeSeconds: number;
  /** delay before labels are sent to POST /feedback */
  readonly feedbackDelayMillis: number;
}

export interface PhaseOptions {
  /** progress label, e.g. `stable`, `shift` */
  readonly label: string;
  /** the traffic scenario played */
  readonly traffic: ScenarioName;
  readonly maxSeconds: number;
  /** the phase plays at least this long before `until` may end it (default 0) */
  readonly minSeconds?: number;
  /** ends the phase at the first evaluation for which it returns true */
  readonly until?: (o: Observation) => boolean;
  /** default settings.seed */
  readonly seed?: number;
  readonly scenarioOptions?: Omit<ScenarioOptions, 'seed'>;
  /** what the progress lines show besides volume and drifted features, e.g. one feature's score */
  readonly focus?: (o: Observation) => string;
  /** default: the primary model server */
  readonly server?: ModelServer;
  /** rows per request; default settings.batchSize (a canary routes per request: 1 routes per customer) */
  readonly batchSize?: number;
}

export interface PhaseResult {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly traffic: TrafficProgress;
  /** the evaluation that satisfied `until` (undefined: the phase ran to `maxSeconds`) */
  readonly satisfied: Observation | undefined;
}

export interface DemoContext {
  readonly stack: DemoStack;
  /** every evaluation of churn v1 seen so far (window 1h) */
  readonly observer: DriftObserver;
  /** threshold alerts fired so far */
  readonly alerts: AlertTracker;
  readonly settings: DemoSettings;
  /** prints one progress line */
  log(line: string): void;
  /** Plays one traffic phase, printing progress at each evaluation, until `until` holds or `maxSeconds` passed. */
  playPhase(options: PhaseOptions): Promise<PhaseResult>;
  /** Stable (no-drift) traffic until every feature has a verdict and performance is measured (≥ settings.stableSeconds). */
  playStable(options?: Pick<PhaseOptions, 'server' | 'batchSize'>): Promise<PhaseResult>;
  /** Waits for an evaluation that includes everything sent so far (one export plus one evaluation) and returns it. */
  settle(): Promise<Observation>;
}
