/**
 * Write access to the big parts of a memory draft without immer proxies in the hot path.
 *
 * A pageblock or zone is copied once per draft (per engine batch) into a plain object that is
 * assigned into the draft and then mutated directly; reads go to that copy or to the draft's
 * base. The overlay is cached per draft object in a WeakMap, so it dies with the draft and never
 * leaks between batches, and what it copied is frozen at the batch's commit (models/overlay).
 * Reducers see MemoryState readonly (SimDraft): this overlay is the only writable view of it.
 */
import { isDraft, original, type Draft } from 'immer';
import { copyArray, copyRecord } from '../overlay/copyArray.ts';
import { sealAtCommit, type SealCtx } from '../overlay/sealAtCommit.ts';
import type { BankState, FreeArea, MemoryConfig, MemoryState, MemoryStats, PageblockState, ZoneCounters, ZoneState } from './state.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type PbW = Mutable<Omit<PageblockState, 'pages' | 'heads' | 'pins'>> & { pages: number[]; heads: number[]; pins: Record<string, number> | null };
export type FreeAreaW = Mutable<Omit<FreeArea, 'blocks' | 'groups'>> & { blocks: number[]; groups: number[][] };
export type ZoneW = Mutable<Omit<ZoneState, 'free' | 'used'>> & { free: FreeAreaW[]; used: Mutable<ZoneCounters> };

export interface MemMut {
  /** The draft itself, writable: the one handle for what the overlay does not copy (nextSerial, owners, the sharded maps). */
  readonly dm: Draft<MemoryState>;
  readonly cfg: MemoryConfig;
  readonly pbOrder: number;
  readonly pbPages: number;
  readonly maxOrder: number;
  readonly banks: readonly BankState[];
  readonly basePbs: readonly PageblockState[];
  readonly baseZones: readonly ZoneState[];
  readonly pbOver: Map<number, PbW>;
  /** The pageblocks array of this draft, copied on first write (immer neither copies nor walks it). */
  pbsW: PageblockState[] | null;
  /** pbsW once it exists, else basePbs: what pbRead reads. */
  pbs: readonly PageblockState[];
  readonly zoneOver: Map<number, ZoneW>;
  statsW: Mutable<MemoryStats> | null;
  /**
   * Per (zone, migratetype, order), a pageblock index below which no free block of that list
   * lies (a search hint valid for this draft only; see hintKey). It only speeds up the search:
   * the block found is the same with or without it.
   */
  readonly hints: number[];
  /** By hintKey: whether that group-count array was copied in this draft (groupsW). */
  readonly groupsOwn: boolean[];
  /** Bumped by every change to a free list (buddy.ts countBlock); the split stack is valid while it is unchanged. */
  epoch: number;
  /** The remainders of the last split, for allocator.ts findHead (see SplitStack); null when none. */
  split: SplitStack | null;
}

/**
 * The free blocks a split gave back (expand), as a stack: the last pushed, on top, is the lowest
 * addressed and smallest. Kept only when each was the only block of its order on its list, so
 * while no other list change happened (epoch), the top is what findHead would find for its order.
 */
export interface SplitStack {
  readonly zone: number;
  readonly mt: string;
  epoch: number;
  readonly pfns: number[];
  readonly orders: number[];
  readonly pbis: number[];
}

export type { SealCtx };

export const hintKey = (zone: number, mtIndex: number, order: number): number => (zone * 8 + mtIndex) * 32 + order;

const cache = new WeakMap<object, MemMut>();

function baseOf<T>(x: T): T {
  return isDraft(x) ? (original(x as object) as T) : x;
}

/**
 * The overlay for this memory draft (created on first use; its copies are frozen when the batch
 * commits, see models/overlay/sealAtCommit.ts). `_ctx` is not used (callers that pass it compile).
 */
export function mutMemory(dm: MemoryState, _ctx?: SealCtx): MemMut {
  return cache.get(dm) ?? createMut(dm as Draft<MemoryState>);
}

function createMut(dm: Draft<MemoryState>): MemMut {
  let m: MemMut;
  if (!isDraft(dm)) throw new Error('mutMemory: expected an immer draft of MemoryState (call from a reducer or produce)');
  const cfg = baseOf(dm.config) as MemoryConfig;
  m = {
    dm,
    cfg,
    pbOrder: cfg.pageblockOrder,
    pbPages: 1 << cfg.pageblockOrder,
    maxOrder: cfg.maxOrder,
    banks: baseOf(dm.banks) as readonly BankState[],
    basePbs: baseOf(dm.pageblocks) as readonly PageblockState[],
    baseZones: baseOf(dm.zones) as readonly ZoneState[],
    pbOver: new Map(),
    pbsW: null,
    pbs: baseOf(dm.pageblocks) as readonly PageblockState[],
    zoneOver: new Map(),
    statsW: null,
    hints: new Array(((baseOf(dm.zones) as readonly ZoneState[]).length + 1) * 8 * 32).fill(0),
    groupsOwn: new Array(((baseOf(dm.zones) as readonly ZoneState[]).length + 1) * 8 * 32).fill(false),
    epoch: 0,
    split: null,
  };
  cache.set(dm, m);
  const made = m;
  sealAtCommit(() => sealMemory(made));
  return m;
}

/** Freeze the pageblocks, zones and stats this overlay copied (they hold no drafts). */
function sealMemory(m: MemMut): void {
  for (const w of m.pbOver.values()) {
    Object.freeze(w.pages);
    Object.freeze(w.heads);
    if (w.pins !== null) Object.freeze(w.pins);
    Object.freeze(w);
  }
  for (const z of m.zoneOver.values()) {
    for (const f of z.free) {
      Object.freeze(f.blocks);
      for (const g of f.groups) Object.freeze(g);
      Object.freeze(f.groups);
      Object.freeze(f);
    }
    Object.freeze(z.free);
    Object.freeze(z.used);
    Object.freeze(z);
  }
  if (m.pbsW !== null) Object.freeze(m.pbsW);
  if (m.statsW !== null) Object.freeze(m.statsW);
}

export function pbRead(m: MemMut, i: number): PageblockState {
  return m.pbs[i];
}

export function pbWrite(m: MemMut, i: number): PbW {
  const b = m.basePbs[i];
  const cur = m.pbs[i];
  if (cur !== b) return cur as PbW;
  const w: PbW = { ...b, pages: copyArray(b.pages), heads: copyArray(b.heads), pins: b.pins === null ? null : copyRecord(b.pins) };
  m.pbOver.set(i, w);
  let arr = m.pbsW;
  if (arr === null) {
    arr = m.pbsW = copyArray(m.basePbs);
    m.pbs = arr;
    (m.dm as { pageblocks: readonly PageblockState[] }).pageblocks = arr;
  }
  arr[i] = w;
  return w;
}

/** FreeArea.groups[order] of (zone, migratetype), writable (copied once per draft). */
export function groupsW(m: MemMut, z: number, mtIndex: number, order: number): number[] {
  const f = zoneWrite(m, z).free[mtIndex];
  const k = hintKey(z, mtIndex, order);
  if (!m.groupsOwn[k]) {
    f.groups[order] = copyArray(f.groups[order]);
    m.groupsOwn[k] = true;
  }
  return f.groups[order];
}

export function zoneRead(m: MemMut, z: number): ZoneState {
  return m.zoneOver.get(z) ?? m.baseZones[z];
}

export function zoneWrite(m: MemMut, z: number): ZoneW {
  let w = m.zoneOver.get(z);
  if (w !== undefined) return w;
  const b = m.baseZones[z];
  w = {
    ...b,
    used: { ...b.used },
    // Group counts are copied per (migratetype, order) on first write (groupsW): most stay shared.
    free: b.free.map((f) => ({ nrFree: f.nrFree, blocks: copyArray(f.blocks), groups: copyArray(f.groups) as number[][] })),
  };
  m.zoneOver.set(z, w);
  (m.dm.zones as ZoneState[])[z] = w;
  return w;
}

/** Index of the bank holding pfn, -1 when none. */
export function bankIndexOf(banks: readonly BankState[], pfn: number): number {
  for (let i = 0; i < banks.length; i++) {
    const b = banks[i];
    if (pfn >= b.startPfn && pfn < b.startPfn + b.nrPages) return i;
  }
  return -1;
}

/** Index in `pageblocks` of the pageblock holding pfn; throws when pfn is outside every bank. */
export function pbIndexIn(banks: readonly BankState[], pbOrder: number, pfn: number): number {
  const bi = bankIndexOf(banks, pfn);
  if (bi < 0) throw new RangeError(`pfn 0x${pfn.toString(16)} is outside every memory bank`);
  const b = banks[bi];
  return b.firstPb + ((pfn - b.startPfn) >> pbOrder);
}

/** First pfn of the pageblock at index i. */
export function pbStartPfn(banks: readonly BankState[], pbOrder: number, i: number): number {
  for (let k = banks.length - 1; k >= 0; k--) {
    const b = banks[k];
    if (i >= b.firstPb) return b.startPfn + ((i - b.firstPb) << pbOrder);
  }
  throw new RangeError(`pageblock index ${i} out of range`);
}

export function codeAt(m: MemMut, pfn: number): number {
  const i = pbIndexIn(m.banks, m.pbOrder, pfn);
  return pbRead(m, i).pages[pfn & (m.pbPages - 1)];
}

/** MemoryState.stats, writable (copied once per draft). */
export function memStats(m: MemMut): Mutable<MemoryStats> {
  if (m.statsW === null) {
    m.statsW = { ...(baseOf(m.dm.stats) as MemoryStats) };
    (m.dm as { stats: MemoryStats }).stats = m.statsW;
  }
  return m.statsW;
}
