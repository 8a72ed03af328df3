import type { GeneratorSpec, WorkloadState } from './state.ts';

export interface WorkloadConfig {
  readonly generators?: readonly GeneratorSpec[];
}

export function createWorkloadState(cfg: WorkloadConfig): WorkloadState {
  const generators: Record<string, WorkloadState['generators'][string]> = {};
  for (const spec of cfg.generators ?? []) {
    if (Object.hasOwn(generators, spec.name)) throw new RangeError(`workload: duplicate generator name '${spec.name}'`);
    generators[spec.name] = { spec, fired: 0, emitted: 0, cursor: 0, current: null, done: false };
  }
  return { generators, held: {}, emitted: {}, undeliverable: {} };
}
