import { applyDeltas, deltaBytes, diff, mergeDeltas, type Delta } from './delta.ts';

/**
 * Which snapshot slots a long history keeps: the newest `dense` every slot, older ones every 2nd,
 * 4th, ... up to every maxStride-th, so restoring any state replays at most maxStride * K - 1 events.
 */
export interface Thinning {
  readonly dense: number;
  /** A power of two. */
  readonly maxStride: number;
}

export const DEFAULT_THINNING: Thinning = { dense: 64, maxStride: 8 };

/**
 * How kept snapshots are stored: as deltas from the previous kept one, with a whole world at the
 * first slot thinning keeps for good once the deltas since the last whole one reach `keyframeBytes`.
 */
export interface SnapshotDeltas {
  readonly keyframeBytes: number;
}

/**
 * 32 MiB of deltas between whole snapshots. Measured on a 16 GiB machine (memory bench workload):
 * a chain of 51 deltas (24 MiB) restores in ~250 ms of CPU, about what replaying 1,024 events
 * costs, and a whole snapshot there keeps tens of MiB of its own, so fewer of them pay.
 */
export const DEFAULT_DELTAS: SnapshotDeltas = { keyframeBytes: 32 * 2 ** 20 };

/** The stride (in snapshots) kept at `age` snapshots behind the newest: 1 while dense, then doubling every time the age doubles. */
export function strideAt(age: number, t: Thinning): number {
  let stride = 1;
  for (let edge = t.dense; age >= edge && stride < t.maxStride; edge *= 2) stride *= 2;
  return stride;
}

/**
 * The snapshots of one engine, by slot (slot j: the world after baseSeq + j * K). Slot 0, the
 * newest slot and keyframes are kept whole; every other kept slot as the delta from the previous
 * kept slot's world (with `deltas` null: every kept slot whole, as engines did before deltas).
 * Thinning a delta slot merges its delta into the next kept slot's, so what is kept is always
 * exact. Restoring a delta slot applies the deltas since the keyframe before it.
 */
export class SnapshotStore<W> {
  /** whole[j]: slot j's world when kept whole; holes elsewhere. */
  readonly whole: W[] = [];
  /** delta[j]: slot j as a delta from the previous kept slot (null: no change); undefined when not kept that way. */
  private readonly delta: (Delta | null | undefined)[] = [];
  /** Keyframes: slots kept whole for good (slot 0 included); at multiples of maxStride, which thinning never drops. */
  private readonly keyframes = new Set<number>([0]);
  /** Delta bytes kept since the last keyframe. */
  private chainBytes = 0;
  /** The last world restored from deltas, to go on from when the next restore is at or after it. */
  private recent: { slot: number; world: W } | null = null;

  constructor(first: W, private readonly thinning: Thinning | null, private readonly deltas: SnapshotDeltas | null) {
    this.whole.push(first);
    this.delta.push(undefined);
  }

  /** Number of slots so far (kept or not); the newest is length - 1. */
  get length(): number {
    return this.whole.length;
  }

  isKept(j: number): boolean {
    return this.whole[j] !== undefined || this.delta[j] !== undefined;
  }

  /** The slots kept, in order. */
  keptSlots(): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.whole.length; j++) if (this.isKept(j)) out.push(j);
    return out;
  }

  /** Add the world at the next slot, then thin. */
  push(world: W): void {
    const j = this.whole.length;
    const prev = j - 1;
    if (this.deltas === null) {
      this.whole.push(world);
      this.delta.push(undefined);
    } else {
      const d = diff(this.whole[prev], world);
      this.whole.push(world);
      this.delta.push(d);
      if (!this.keyframes.has(prev)) delete this.whole[prev]; // its delta (taken when it was pushed) stands for it
      this.chainBytes += deltaBytes(d);
      // Keyframes only where thinning keeps a slot for good, so they never change what is kept.
      if (this.chainBytes >= this.deltas.keyframeBytes && j % (this.thinning?.maxStride ?? 1) === 0) {
        this.keyframes.add(j);
        this.delta[j] = undefined;
        this.chainBytes = 0;
      }
    }
    if (this.thinning !== null) this.thin(this.thinning);
  }

  /**
   * A slot was just added: drop those whose age crossed into a coarser stride. Strides are powers
   * of two that only grow with age, so a slot dropped once is never wanted again, and only the
   * slots at the stride edges (ages dense, 2 dense, 4 dense, ...) can change. Keyframes stay.
   */
  private thin(t: Thinning): void {
    const newest = this.whole.length - 1;
    let stride = 2;
    for (let edge = t.dense; edge <= newest && stride <= t.maxStride; edge *= 2, stride *= 2) {
      const j = newest - edge;
      if (j > 0 && j % stride !== 0 && !this.keyframes.has(j) && this.isKept(j)) this.drop(j);
    }
  }

  private drop(j: number): void {
    const d = this.delta[j];
    delete this.whole[j];
    delete this.delta[j];
    if (d === undefined) return;
    if (this.recent !== null && this.recent.slot >= j) this.recent = null;
    let next = j + 1;
    while (!this.isKept(next)) next++;
    // The next kept slot now follows the slot before j: its delta starts where j's did.
    if (this.delta[next] !== undefined) this.delta[next] = mergeDeltas(d, this.delta[next]!);
  }

  /** The latest kept slot at or before `j` (without restoring its world). */
  keptAtOrBefore(j: number): number {
    let slot = Math.min(j, this.whole.length - 1);
    while (!this.isKept(slot)) slot--;
    return slot;
  }

  /** The latest kept slot at or before `j`, and its world. */
  atOrBefore(j: number): { readonly slot: number; readonly world: W } {
    const slot = this.keptAtOrBefore(j);
    if (this.whole[slot] !== undefined) return { slot, world: this.whole[slot] };
    let from = slot;
    while (this.whole[from] === undefined) from--;
    let world = this.whole[from];
    const r = this.recent;
    if (r !== null && r.slot > from && r.slot <= slot) { from = r.slot; world = r.world; }
    const chain: Delta[] = [];
    for (let s = from + 1; s <= slot; s++) {
      const d = this.delta[s];
      if (d !== undefined && d !== null) chain.push(d);
    }
    world = applyDeltas(world, chain);
    this.recent = { slot, world };
    return { slot, world };
  }
}
