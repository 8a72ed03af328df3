export { defineScenario, checkScenario, DEFAULT_UNTIL_NS, type Scenario, type ScenarioInput } from './scenario.ts';
export { loadScenarioFile, scenarioFromJson, ScenarioFileError } from './loadScenario.ts';
export { ScenarioError } from './check.ts';
export { runScenario, bootEngine, isFatal, simModel, type RunOptions, type RunOutcome, type RunSummary, type AssertionResult } from './runScenario.ts';
export { toSimConfig } from './toSimConfig.ts';
export { computeMetrics, METRICS, METRIC_NAMES, requestsOf } from './metrics.ts';
export { checkInvariants, workloadInvariants } from './invariants.ts';
export { parseSize, parseDuration, formatDuration, formatSize } from './units.ts';
export { setPath } from './setPath.ts';
