import type { MemoryState } from './state.ts';

// Placeholder until the memory aggregate lands: its helper replaces this file.
export type MachineConfig = Readonly<Record<string, unknown>>;
export function createMemoryState(_cfg: MachineConfig): MemoryState {
  return {};
}
