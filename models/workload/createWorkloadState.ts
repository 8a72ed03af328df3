import type { WorkloadState } from './state.ts';

// Placeholder until workload generators land: the scenario helper replaces this file.
export type WorkloadConfig = Readonly<Record<string, unknown>>;
export function createWorkloadState(_cfg: WorkloadConfig): WorkloadState {
  return {};
}
