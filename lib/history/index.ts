export { History, parsePath, type ForkEdit, type PendingAt, type Path } from './history.ts';
export { exportLog, importLog, logLines, parseLog, replayLog, LogFormatError, LOG_FORMAT, LOG_MAC, LOG_VERSION, MIN_KEY_BYTES, type LogHeader, type LogKeyOptions, type ParsedLog, type ReplayedLog } from './jsonl.ts';
export { modelHash, stateHash, worldHash } from './stateHash.ts';
