/**
 * Builds RunData from a finished run: requests from the final state, and samples and map
 * frames taken at evenly spaced simulated times by asking the run's history for the state at
 * each time (lib/history replays forward from the nearest snapshot, so ascending sample times
 * cost about one pass over the log).
 */
import type { SimState } from '../../models/state.ts';
import type { MapFrame, RunData, Sample } from './runData.ts';
import { probeAllAreas, probeAreas, probeLockMode, probeMigrated, probeRequests } from './stateProbe.ts';

/** What collectRunData needs of a run; lib/history's History<SimState, SimEvent> fits. */
export interface RunSource {
  stateAtTime(t: number): { readonly model: SimState };
  readonly lastSeq: number;
  readonly engine: { readonly now: number; readonly model: { readonly name: string; readonly version: string } };
}

export interface CollectOptions {
  readonly scenario: string;
  readonly seed: number;
  /** Samples over the run, both ends included (default 200). */
  readonly samples?: number;
  /** Map frames for the HTML slider, taken at a subset of sample times (default 100). */
  readonly mapFrames?: number;
}

/** k-th of n evenly spaced integer times over [0, duration]. */
export function sampleTimes(durationNs: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`samples must be a positive integer, got ${n}`);
  if (durationNs <= 0 || n === 1) return [Math.max(0, durationNs)];
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = Math.round((k * durationNs) / (n - 1));
    if (out[out.length - 1] !== t) out.push(t);
  }
  return out;
}

export function collectRunData(run: RunSource, opts: CollectOptions): RunData {
  const duration = run.engine.now;
  const times = sampleTimes(duration, opts.samples ?? 200);
  const frames = Math.max(1, opts.mapFrames ?? 100);
  const every = Math.max(1, Math.ceil((times.length - 1) / Math.max(1, frames - 1)));
  const samples: Sample[] = [];
  const maps: MapFrame[] = [];
  times.forEach((t, k) => {
    const s = run.stateAtTime(t).model;
    const probes = probeAllAreas(s);
    samples.push({ t, areas: probes.map((p) => p.sample), migratedTotal: probeMigrated(s) });
    if (k % every === 0 || k === times.length - 1) maps.push({ t, blocks: probes.map((p) => p.blocks) });
  });
  const final = run.stateAtTime(duration).model;
  return {
    meta: {
      scenario: opts.scenario, seed: opts.seed, modelVersion: `${run.engine.model.name}@${run.engine.model.version}`,
      lockMode: probeLockMode(final), durationNs: duration, eventCount: run.lastSeq,
    },
    areas: probeAreas(final),
    requests: probeRequests(final),
    samples,
    maps,
  };
}
