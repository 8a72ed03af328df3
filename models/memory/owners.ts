import { mutMemory } from './mutMemory.ts';
import type { MemoryState } from './state.ts';

/** Index of `owner` in MemoryState.owners, appending it the first time (owners are few: areas, devices). Call on a draft. */
export function internOwner(dm: MemoryState, owner: string): number {
  const i = dm.owners.indexOf(owner);
  if (i >= 0) return i;
  const owners = mutMemory(dm).dm.owners;
  owners.push(owner);
  return owners.length - 1;
}
