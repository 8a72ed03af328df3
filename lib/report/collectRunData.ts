/**
 * RunData from a finished run's history: requests from the final state, samples and map frames
 * at evenly spaced simulated times. Each sample asks the history for the state at that time, so
 * this replays the run once (ascending times reuse the previous state). recordRun collects the
 * same data from the engine's stream during the run (or a log's fold) at about a fifth of the
 * cost, and is what the command line uses; this stays for runs cut short, whose sample grid is
 * only known at their end, and for library users holding a History.
 */
import type { SimState } from '../../models/state.ts';
import type { RunData } from './runData.ts';
import { Sampler, type RunIdentity, type SamplingOptions } from './sampler.ts';

/** What collectRunData needs of a run; lib/history's History<SimState, SimEvent> fits. */
export interface RunSource {
  stateAtTime(t: number): { readonly model: SimState };
  readonly lastSeq: number;
  readonly engine: { readonly now: number; readonly model: { readonly name: string; readonly version: string } };
}

export type CollectOptions = RunIdentity & SamplingOptions;

export function collectRunData(run: RunSource, opts: CollectOptions): RunData {
  const duration = run.engine.now;
  const sampler = new Sampler(duration, opts);
  for (const t of sampler.times) sampler.take(run.stateAtTime(t).model);
  return sampler.finish(run.stateAtTime(duration).model, opts, run.engine.model, duration, run.lastSeq);
}
