import type { Draft } from 'immer';
import type { MemoryState } from './state.ts';

/** Index of `owner` in MemoryState.owners, appending it the first time (owners are few: areas, devices). */
export function internOwner(dm: Draft<MemoryState>, owner: string): number {
  const i = dm.owners.indexOf(owner);
  if (i >= 0) return i;
  dm.owners.push(owner);
  return dm.owners.length - 1;
}
