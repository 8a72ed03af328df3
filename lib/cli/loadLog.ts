import { readFileSync } from 'node:fs';
import type { SimEvent } from '../../events/index.ts';
import type { SimState } from '../../models/state.ts';
import { LogFormatError, parseLog, replayLog, type ReplayedLog } from '../history/index.ts';
import { ScenarioError } from '../scenario/check.ts';
import { simModel } from '../scenario/runScenario.ts';
import { checkScenario, type Scenario } from '../scenario/scenario.ts';
import { bootScenario } from '../scenario/toSimConfig.ts';
import { InputError } from './errors.ts';

export interface LoadedLog {
  readonly scenario: Scenario;
  readonly until: number;
  /** Simulated time and stop reason the run ended with (from the header). */
  readonly now: number;
  readonly stopReason: string;
  readonly replayed: ReplayedLog<SimState, SimEvent>;
}

/**
 * Read a log written by `cma-sim run --out`, rebuild its initial state from the scenario stored in
 * its header, and replay it (the hash chain and final hash are checked on the way).
 */
export function loadRunLog(file: string): LoadedLog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const parsed = parseLog<SimEvent>(text, file, simModel);
    const meta = parsed.header.meta as { scenario?: unknown; until?: unknown; now?: unknown; stopReason?: unknown } | undefined;
    if (!meta || meta.scenario === undefined) throw new LogFormatError(file, 1, 'header has no meta.scenario: this log was not written by cma-sim run');
    let scenario: Scenario;
    try {
      scenario = checkScenario(meta.scenario);
    } catch (e) {
      if (e instanceof ScenarioError) throw new LogFormatError(file, 1, `meta.scenario: ${e.message}`);
      throw e;
    }
    const until = typeof meta.until === 'number' ? meta.until : scenario.until;
    const replayed = replayLog(parsed, simModel, bootScenario(scenario), file);
    const engine = replayed.history.engine;
    const now = typeof meta.now === 'number' && meta.now >= engine.now ? meta.now : engine.now;
    // The run's clock stood at `now` (its until) past the last event; nothing pending is due by then.
    if (engine.run({ until: now }).dispatched !== 0) throw new LogFormatError(file, 1, `meta.now ${now}: events were still due before the recorded end of the run`);
    const stopReason = typeof meta.stopReason === 'string' ? meta.stopReason : 'until';
    return { scenario, until, now, stopReason, replayed };
  } catch (e) {
    if (e instanceof LogFormatError) throw new InputError(e.message);
    throw e;
  }
}
