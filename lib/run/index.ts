export { runEngine, DEFAULT_MAX_EVENTS, PROGRESS_EVERY, type RunLoopOptions, type RunProgress } from './runEngine.ts';
export { startEngine } from './startEngine.ts';
export { runToHistory } from './runToHistory.ts';
export { RUNNABLE_MAX_EVENTS, type Runnable, type Injection, type DebugPlugin } from './runnable.ts';
