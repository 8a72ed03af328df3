import type { MemoryState } from '../memory/state.ts';
import type { CmaState } from './state.ts';

// Placeholder until the CMA aggregate lands: its helper replaces this file. Boot reserves the
// areas inside memory (their pageblocks become MIGRATE_CMA), hence memory in and out.
export type CmaConfig = Readonly<Record<string, unknown>>;
export function createCmaState(_cfg: CmaConfig, memory: MemoryState): { cma: CmaState; memory: MemoryState } {
  return { cma: {}, memory };
}
