import { readFileSync } from 'node:fs';
import type { SimEvent } from '../../events/index.ts';
import type { SimState } from '../../models/state.ts';
import { LogFormatError, parseLog, replayLog, type LogKeyOptions, type ReplayedLog } from '../history/index.ts';
import { ScenarioError } from '../scenario/check.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import type { AssertionResult, RunSummary } from '../scenario/runScenario.ts';
import { checkScenario, type Scenario } from '../scenario/scenario.ts';
import { bootScenario } from '../scenario/toSimConfig.ts';
import type { RunData } from '../report/index.ts';
import { runEngine } from '../run/runEngine.ts';
import { InputError } from './errors.ts';
import { liveRunData, type LiveRunData } from './render.ts';
import { cannotRead } from '../io/cannotRead.ts';

export interface LoadedLog {
  readonly scenario: Scenario;
  readonly until: number;
  /** Simulated time and stop reason the run ended with (from the header). */
  readonly now: number;
  readonly stopReason: RunSummary['stopReason'];
  /** The assertion results the run recorded; null in logs written before they were recorded. */
  readonly assertions: readonly AssertionResult[] | null;
  readonly replayed: ReplayedLog<SimState, SimEvent>;
  /** RunData collected from the stream while the log was folded (`collect`); null otherwise or for a run cut short. */
  readonly data: RunData | null;
}

export interface LoadLogOptions extends LogKeyOptions {
  /** Feed the report collector from the engine's stream during the fold (the live path, not a second replay). */
  readonly collect?: boolean;
}

const STOP_REASONS: readonly RunSummary['stopReason'][] = ['until', 'maxEvents', 'stopWhen', 'idle', 'violation'];
const META_KEYS = ['scenario', 'until', 'now', 'stopReason', 'source', 'assertions'];

/** meta as `cma-sim run` writes it, every field checked; `engineNow`: the clock after the last logged event. */
function checkMeta(file: string, meta: Record<string, unknown> | undefined): { scenario: Scenario; until?: number; now?: number; stopReason?: RunSummary['stopReason']; assertions: AssertionResult[] | null } {
  const bad = (path: string, expected: string, got: unknown): never => {
    const shown = JSON.stringify(got) ?? String(got);
    throw new LogFormatError(file, 1, `header.meta.${path}: expected ${expected}, got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`);
  };
  if (!meta || meta.scenario === undefined) throw new LogFormatError(file, 1, 'header has no meta.scenario: this log was not written by cma-sim run');
  for (const k of Object.keys(meta)) if (!META_KEYS.includes(k)) throw new LogFormatError(file, 1, `header.meta.${k}: unknown field (expected ${META_KEYS.join(', ')})`);
  const time = (k: string): number | undefined => {
    const v = meta[k];
    if (v === undefined) return undefined;
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : bad(k, 'a non-negative integer of ns', v);
  };
  const until = time('until'), now = time('now');
  if (until !== undefined && now !== undefined && now > until) bad('now', `a time not after meta.until (${until})`, now);
  const sr = meta.stopReason;
  if (sr !== undefined && !STOP_REASONS.includes(sr as RunSummary['stopReason'])) bad('stopReason', STOP_REASONS.join('|'), sr);
  if (meta.source !== undefined && typeof meta.source !== 'string') bad('source', 'a string', meta.source);
  let assertions: AssertionResult[] | null = null;
  if (meta.assertions !== undefined) {
    if (!Array.isArray(meta.assertions)) bad('assertions', 'an array', meta.assertions);
    assertions = (meta.assertions as unknown[]).map((a, i) => {
      const o = a as Record<string, unknown>;
      const ok = typeof o === 'object' && o !== null && !Array.isArray(o) && Object.keys(o).every((k) => ['name', 'fatal', 'ok', 'value', 'at'].includes(k))
        && typeof o.name === 'string' && typeof o.fatal === 'boolean' && typeof o.ok === 'boolean'
        && (typeof o.value === 'number' || o.value === null) && (o.at === null || (typeof o.at === 'number' && Number.isSafeInteger(o.at) && o.at >= 0));
      return ok ? (o as unknown as AssertionResult) : bad(`assertions[${i}]`, '{name, fatal, ok, value, at} as run records them', a);
    });
  }
  let scenario: Scenario;
  try {
    scenario = checkScenario(meta.scenario);
  } catch (e) {
    if (e instanceof ScenarioError) throw new LogFormatError(file, 1, `header.meta.scenario: ${e.message}`);
    throw e;
  }
  return { scenario, until, now, stopReason: sr as RunSummary['stopReason'] | undefined, assertions };
}

/**
 * Read a log written by `cma-sim run --out`, check every field (lib/history checks the lines and
 * the chain, this the run's meta), rebuild its initial state from the scenario stored in its
 * header, and replay it (the final hash is checked on the way).
 */
export function loadRunLog(file: string, opts: LoadLogOptions = {}): LoadedLog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: ${cannotRead(e)}`);
  }
  try {
    const parsed = parseLog<SimEvent>(text, file, cmaSimModel, opts);
    const meta = checkMeta(file, parsed.header.meta as Record<string, unknown> | undefined);
    const { scenario } = meta;
    const until = meta.until ?? scenario.until;
    let initial: SimState;
    try {
      initial = bootScenario(scenario);
    } catch (e) {
      if (e instanceof ScenarioError) throw new LogFormatError(file, 1, `header.meta.scenario: ${e.message}`);
      throw e;
    }
    const live: { collector?: LiveRunData } = {};
    const replayed = replayLog(parsed, cmaSimModel, initial, file, opts.collect ? (e, nextDue) => { live.collector = liveRunData(e, until, nextDue); } : undefined);
    const engine = replayed.history.engine;
    if (meta.now !== undefined && meta.now < engine.now) throw new LogFormatError(file, 1, `header.meta.now: ${meta.now} is before the last logged event (${engine.now})`);
    const now = meta.now ?? engine.now;
    const stopReason = meta.stopReason ?? 'until';
    if (stopReason === 'until' || stopReason === 'idle') {
      // The run's clock stood at `now` past the last event; nothing pending was due by then. One
      // event is enough to tell, so a huge `now` costs nothing.
      if (runEngine(engine, { until: now, maxEvents: 1 }).dispatched !== 0) throw new LogFormatError(file, 1, `header.meta.now: ${now}: events were still due before the recorded end of the run`);
    } else if (now !== engine.now) {
      // Stopped between two events (--max-events, an invariant): the clock is the last event's.
      throw new LogFormatError(file, 1, `header.meta.now: ${now}: a run stopped by '${stopReason}' ends at its last event (${engine.now})`);
    }
    const data = live.collector?.finish({ scenario: scenario.name, seed: parsed.header.seed, simTimeNs: now }) ?? null;
    return { scenario, until, now, stopReason, assertions: meta.assertions, replayed, data };
  } catch (e) {
    if (e instanceof LogFormatError) throw new InputError(e.message);
    throw e;
  }
}
