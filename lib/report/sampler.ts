/**
 * Accumulates RunData samples and map frames at a fixed grid of simulated times, whoever
 * supplies the states (a history after the run, or a recorder during it).
 */
import type { SimState } from '../../models/state.ts';
import type { MapFrame, RunData, Sample } from './runData.ts';
import { probeAllAreas, probeAreas, probeLockMode, probeMigrated, probeRequests } from './stateProbe.ts';

export interface SamplingOptions {
  /** Samples over the run, both ends included (default 200). */
  readonly samples?: number;
  /** Map frames for the HTML slider, taken at a subset of sample times (default 100). */
  readonly mapFrames?: number;
}

export interface RunIdentity {
  readonly scenario: string;
  readonly seed: number;
}

/** k-th of n evenly spaced integer times over [0, duration], duplicates dropped. */
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

export class Sampler {
  readonly times: readonly number[];
  private readonly frameAt: ReadonlySet<number>;
  private readonly samples: Sample[] = [];
  private readonly maps: MapFrame[] = [];

  constructor(durationNs: number, opts: SamplingOptions = {}) {
    this.times = sampleTimes(durationNs, opts.samples ?? 200);
    // Frames at evenly spread sample indices, first and last included.
    const n = this.times.length, f = Math.min(n, Math.max(1, opts.mapFrames ?? 100));
    this.frameAt = new Set(Array.from({ length: f }, (_, j) => (f === 1 ? n - 1 : Math.round((j * (n - 1)) / (f - 1)))));
  }

  /** Index of the next grid time to sample. */
  get next(): number {
    return this.samples.length;
  }

  /** Records `state` as the state at the next grid time. */
  take(state: SimState): void {
    const k = this.samples.length;
    if (k >= this.times.length) throw new RangeError('report sampler: every grid time is already sampled');
    const t = this.times[k];
    const probes = probeAllAreas(state);
    this.samples.push({ t, areas: probes.map((p) => p.sample), migratedTotal: probeMigrated(state) });
    if (this.frameAt.has(k)) this.maps.push({ t, blocks: probes.map((p) => p.blocks) });
  }

  /** RunData with the requests of the final state. */
  finish(final: SimState, id: RunIdentity, model: { readonly name: string; readonly version: string }, durationNs: number, eventCount: number): RunData {
    return {
      meta: {
        scenario: id.scenario, seed: id.seed, modelVersion: `${model.name}@${model.version}`,
        lockMode: probeLockMode(final), durationNs, eventCount,
      },
      areas: probeAreas(final),
      requests: probeRequests(final),
      samples: this.samples,
      maps: this.maps,
    };
  }
}
