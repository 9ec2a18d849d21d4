// @driftwatch/example-churn: a monitored churn model — data, model, artifacts, server, traffic scenarios.

// synthetic data
export { createRandom, deriveSeed } from './data/random.js';
export type { Random } from './data/random.js';
export {
  BASELINE_RELATION,
  CONTRACTS,
  INTERNET_SERVICES,
  PAYMENT_METHODS,
  churnLogit,
  churnProbability,
  generateChurnData,
  sampleFeatures,
  sampleLabel,
} from './data/generate.js';
export type { ChurnFeatures, ChurnRelation, GenerateOptions, LabelledRow, SampleFeaturesOptions } from './data/generate.js';

// traffic scenarios
export {
  CONCEPT_RELATION,
  DEFAULT_MONTHLY_CHARGES_FACTOR,
  DEFAULT_NEW_CATEGORY_SHARE,
  DEFAULT_NEW_PAYMENT_METHOD,
  SCENARIO_DESCRIPTIONS,
  SCENARIO_NAMES,
  isScenarioName,
  scenarioRows,
  takeScenarioRows,
} from './scenarios.js';
export type { ScenarioName, ScenarioOptions } from './scenarios.js';

// model
export { fitEncoder, encodeRow, encodedColumnNames } from './model/encoder.js';
export type { EncoderData, EncoderSpec } from './model/encoder.js';
export { fitLogisticRegression, logisticProbability, sigmoid } from './model/logistic-regression.js';
export type { LogisticRegressionFit, LogisticRegressionOptions } from './model/logistic-regression.js';
export { accuracy, majorityBaselineAccuracy, rocAuc } from './model/metrics.js';
export { CHURN_ENCODER_SPEC, CHURN_THRESHOLD, namedWeights, predictChurnProbability, trainChurnModel } from './model/churn-model.js';
export type { ChurnModel, TrainChurnModelResult } from './model/churn-model.js';
export { CHURN_FEATURE_SCHEMA, CHURN_MODEL_NAME, CHURN_OUTPUT_SCHEMA } from './feature-schema.js';

// artifacts and training
export {
  DEFAULT_ARTIFACTS_ROOT,
  MODEL_ARTIFACT_FORMAT,
  artifactDir,
  buildChurnReference,
  latestArtifactDir,
  listArtifactVersions,
  loadArtifact,
  saveArtifact,
  validateModelArtifact,
} from './model/artifact.js';
export type { ArtifactMetrics, LoadedArtifact, ModelArtifact } from './model/artifact.js';
export { describeTraining, nextArtifactVersion, trainChurnArtifact } from './train.js';
export type { TrainOptions, TrainResult } from './train.js';
export { churnLabel, fetchLabelledRecords, parseWindowMs, retrainCli, retrainFromRecords } from './retrain.js';
export type { ModelScore, RetrainCliOutput, RetrainDecision, RetrainOptions, RetrainResult } from './retrain.js';

// serving and traffic
export { createModelServer, registryArtifactDir } from './server.js';
export type { DeploymentRole, ModelServer, ModelServerOptions, ModelServerRolloutOptions, PredictionResponse } from './server.js';
export { HttpError } from './http-error.js';
export { describeTraffic, playTraffic } from './traffic.js';
export type { PlayTrafficOptions, TrafficProgress } from './traffic.js';

// the demo (`npm run demo`): runner, scenario registry and the contract a scenario module implements
export { demoCli, demoUsage } from './demo/demo-cli.js';
export { DEMO_SCENARIOS, findScenario } from './demo/demo-scenarios.js';
export type { DemoCheck, DemoContext, DemoScenario, DemoSettings, PhaseOptions, PhaseResult, ScenarioOutcome, TimelineEvent } from './demo/demo-scenario.js';
export type { StackEnvironment } from './demo/demo-stack.js';
export { createRetrainScenario } from './demo/scenarios/retrain.js';
export type { RetrainScenarioOptions } from './demo/scenarios/retrain.js';
export { createBadCandidateScenario } from './demo/scenarios/bad-candidate.js';
export type { BadCandidateOptions, CandidateKind } from './demo/scenarios/bad-candidate.js';
export { DEFAULT_ROLLOUT_TIMINGS } from './demo/rollout-settings.js';
export type { RolloutTimings } from './demo/rollout-settings.js';
export { DEFAULT_DEMO_SETTINGS, UnknownScenarioError, runDemo } from './demo/run-demo.js';
export type { DemoOptions, DemoResult } from './demo/run-demo.js';
export type { DemoReport, FeatureReportEntry } from './demo/demo-report.js';
export { createTerminal } from './demo/terminal.js';
export type { Terminal } from './demo/terminal.js';
