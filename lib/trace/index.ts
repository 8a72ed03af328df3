/** ftrace text in and out: import real kernel traces, export runs, replay and compare. */
export { importTrace, type ImportedTrace, type ImportOptions, type TraceSource } from './importTrace.ts';
export { exportTrace, traceEventsOf, formatTraceLine, formatTimestamp, type TimedTraceEvent, type ExportOptions } from './exportTrace.ts';
export { EXPORT_FORMATS, exportFormatOf, formatTraceEvent, type TraceFlavour } from './formatTraceEvent.ts';
export type { TraceRequest, TraceRelease, TracePhases } from './traceRequest.ts';
export type { ImportedEvent, TraceMarker } from './pairRequests.ts';
export type { Generation, ImportedTraceEvent, SingleCmaAllocTrace } from './decodeEvent.ts';
export { parseAreaOption, formatAreaOption, areasFromDmesg, ramFromDmesg, mergeAreas, traceAreasOf, type TraceArea } from './traceAreas.ts';
export { traceToScenario, traceReplay, type TraceReplay, type ReplayRequest, type ReplayRelease, type TraceScenarioOptions } from './traceToScenario.ts';
export { compareRuns, type DivergenceReport, type RequestComparison, type CompareOptions } from './compareRuns.ts';
export { formatDivergence } from './formatDivergence.ts';
export { calibrate, formatCalibration, type Calibration, type CalibrationFit } from './calibrate.ts';
export { leastSquares, type FitResult } from './leastSquares.ts';
export { runImport, runReplayTrace, formatImportSummary, type ImportCommandOptions, type ReplayCommandOptions } from './traceCommands.ts';
export { TraceFormatError } from './traceError.ts';
