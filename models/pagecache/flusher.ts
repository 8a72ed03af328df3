/**
 * The flusher's background writeback as fs/fs-writeback.c and mm/page-writeback.c of v3.17 do it
 * (kernel profile field `backgroundWriteback: 'oldest-inodes'`, the 3.17 profile), instead of
 * writing each run as it is dirtied:
 *
 * - Dirty inodes sit on the bdi's b_dirty list in the order they became dirty (dirtied_when,
 *   __mark_inode_dirty). When dirty pages exceed the background threshold (balance_dirty_pages ->
 *   bdi_start_background_writeback; over_bground_thresh), the flusher runs wb_writeback with
 *   for_background: each round moves every inode dirtied before now to b_io (queue_io with
 *   older_than_this = jiffies) and writes them oldest first (__writeback_inodes_wb ->
 *   writeback_sb_inodes), each up to writeback_chunk_size pages: min(avg_write_bandwidth / 2,
 *   global_dirty_limit / DIRTY_SCOPE) rounded down after adding MIN_WRITEBACK_PAGES (4 MiB); an
 *   inode whose chunk ran out waits for the next round (requeue_io to b_more_io).
 * - A round stops after an inode once HZ/10 has passed since it started, or when b_io is empty;
 *   wb_writeback then starts another round while the dirty pages are still over the background
 *   threshold, and stops when they are not.
 * - Submitting a write takes a request (block/blk-core.c get_request); with nr_requests of them
 *   allocated the flusher sleeps until one completes. So while background writeback runs the
 *   queue stays full and the device write-congested (congestion.ts): the flusher submits whenever
 *   a request completes, one `pagecache.flush` event each time.
 *
 * Periodic (kupdate) writeback stays writeback.ts's (each run at its expiry). Simplifications: the
 * flusher's own CPU time is not modelled (it submits at once); the chunk uses the initial
 * bandwidth (the model's device speed) and a dirty limit of vm_dirty_ratio 20 % of dirtyable
 * memory without the kernel's smoothing; b_more_io inodes go after older ones in the next round.
 */
import { current, isDraft, type Draft } from 'immer';
import type { Ctx } from '../context.ts';
import { PC_DIRTY } from '../memory/pageCode.ts';
import type { MemMut } from '../memory/mutMemory.ts';
import type { SimDraft } from '../state.ts';
import { inFlight } from './congestion.ts';
import type { PcMut } from './mutPagecache.ts';
import { eachCachedRun, eachCodeRun, fileIndexOf } from './pageOps.ts';
import { muts } from './reclaim.ts';
import { dirtyableMemory, overBackgroundThreshold } from './writeback.ts';
import { startWriteback } from './startWriteback.ts';

/** The longest round of background writeback before the threshold is checked again: HZ/10 (writeback_sb_inodes, fs/fs-writeback.c 3.17). */
export const ROUND_NS = 100_000_000;
/** MIN_WRITEBACK_PAGES = 4096 >> (PAGE_SHIFT - 10): 4 MiB (fs/fs-writeback.c, 3.17). */
export const MIN_WRITEBACK_BYTES = 4 * 2 ** 20;
/** DIRTY_SCOPE (mm/page-writeback.c, 3.17): the chunk is at most 1/8 of the dirty limit. */
export const DIRTY_SCOPE = 8;
/** vm_dirty_ratio = 20 (mm/page-writeback.c). */
export const DIRTY_RATIO = 20;

/** An inode on b_dirty: when it became dirty (ns), its first dirty index, the end of its dirty indices, the round its chunk ran out in (-1: none). */
export type DirtyInode = readonly [since: number, lo: number, hi: number, cut: number];

export interface FlusherState {
  /** Bumped when background writeback starts: a `pagecache.flush` event carrying an older value is stale. */
  readonly gen: number;
  /** The dirty inodes by file name. */
  readonly inodes: Readonly<Record<string, DirtyInode>>;
  /** When the current round of background writeback started; null when it does not run. */
  readonly round: number | null;
  readonly stats: { readonly rounds: number; readonly pages: number };
}

export function initialFlusher(): FlusherState {
  return { gen: 0, inodes: {}, round: null, stats: { rounds: 0, pages: 0 } };
}

/** Pages [index, index + count) of `file` became dirty at `now`: put the inode on b_dirty, or widen its range. */
export function noteDirty(f: Draft<FlusherState>, file: string, index: number, count: number, now: number): void {
  const i = f.inodes[file];
  f.inodes[file] = i === undefined ? [now, index, index + count, -1] : [i[0], Math.min(i[1], index), Math.max(i[2], index + count), i[3]];
}

/** After pages were dirtied: start background writeback when over the threshold and it does not run. */
export function maybeStartBackground(m: MemMut, p: PcMut, f: Draft<FlusherState>, ctx: Ctx): void {
  if (f.round !== null || !overBackgroundThreshold(m, p)) return;
  f.round = ctx.now;
  f.gen++;
  f.stats.rounds++;
  ctx.schedule({ type: 'pagecache.flush', gen: f.gen }, 0);
}

/** writeback_chunk_size for background writeback (fs/fs-writeback.c, 3.17), in pages. */
export function chunkPages(m: MemMut, p: PcMut): number {
  const pageSize = m.cfg.pageSize;
  const min = Math.max(1, Math.floor(MIN_WRITEBACK_BYTES / pageSize));
  const perSec = Math.floor(1e9 / Math.max(1, p.base.config.writebackPerPageNs));
  const limit = Math.floor((DIRTY_RATIO * dirtyableMemory(m, p)) / 100);
  const pages = Math.min(Math.floor(perSec / 2), Math.floor(limit / DIRTY_SCOPE));
  return Math.floor((pages + min) / min) * min;
}

/** The inodes of the current round (dirtied before it started, chunk not run out in it), oldest first. */
function roundInodes(f: Draft<FlusherState>, round: number): string[] {
  // Read as plain data: a proxy per inode looked at would cost more than the copy.
  const inodes = isDraft(f.inodes) ? current(f.inodes) : f.inodes;
  return Object.keys(inodes)
    .filter((n) => inodes[n][0] <= round && inodes[n][3] !== round)
    .sort((a, b) => inodes[a][0] - inodes[b][0] || (a < b ? -1 : a > b ? 1 : 0));
}

/** The runs of dirty pages of `file` in [lo, hi), by file index: [index, count]. */
function dirtyRuns(m: MemMut, p: PcMut, file: string, lo: number, hi: number): [number, number][] {
  const out: [number, number][] = [];
  eachCachedRun(p, file, lo, hi - lo, (pfn, n) => {
    const idx = fileIndexOf(m, p, pfn);
    eachCodeRun(m, pfn, n, false, (q, k, fl) => {
      if (!(fl & PC_DIRTY)) return;
      const last = out[out.length - 1];
      const i = idx + (q - pfn);
      if (last !== undefined && last[0] + last[1] === i) last[1] += k;
      else out.push([i, k]);
    });
  });
  return out;
}

/**
 * Write `file`'s dirty pages oldest inode first while the request queue has room, up to `chunk`
 * pages. Returns 'full' when the queue filled before the inode was done, else 'done'.
 */
function writeInode(m: MemMut, p: PcMut, f: Draft<FlusherState>, ctx: Ctx, file: string, chunk: number, round: number): 'full' | 'done' {
  const bdi = p.dp.bdi!;
  const [since, lo, hi] = f.inodes[file];
  let left = chunk;
  for (const [index, count] of dirtyRuns(m, p, file, lo, hi)) {
    if (inFlight(bdi, ctx.now) >= bdi.nrRequests) {
      f.inodes[file] = [since, index, hi, -1];
      return 'full';
    }
    if (left === 0) {
      f.inodes[file] = [since, index, hi, round];
      return 'done';
    }
    const n = Math.min(count, left);
    f.stats.pages += startWriteback(m, p, ctx, file, index, n);
    left -= n;
    if (n < count) {
      f.inodes[file] = [since, index + n, hi, round];
      return 'done';
    }
  }
  delete f.inodes[file];
  return 'done';
}

/**
 * The `pagecache.flush` event: the flusher (woken, or a request completed) submits the round's
 * inodes while the queue has room; with the queue full it waits for the next completion; at the
 * end of a round it starts another while over the background threshold, or stops.
 */
export function flushStep(d: SimDraft, gen: number, ctx: Ctx): void {
  const f0 = d.pagecache.flusher;
  if (f0 === undefined || gen !== f0.gen || f0.round === null) return;
  const { m, p } = muts(d, ctx);
  const f = p.dp.flusher!;
  const bdi = p.dp.bdi!;
  const chunk = chunkPages(m, p);
  for (let pass = 0; ; pass++) {
    const round: number = f.round!;
    if (ctx.now - round < ROUND_NS) {
      for (const file of roundInodes(f, round)) {
        if (writeInode(m, p, f, ctx, file, chunk, round) === 'full') {
          // get_request sleeps until a request completes: the flusher goes on then.
          ctx.schedule({ type: 'pagecache.flush', gen: f.gen }, slotFreeAt(bdi.writes, bdi.nrRequests) - ctx.now);
          return;
        }
      }
    }
    // The round is over (b_io empty, or HZ/10 passed): another one while over the threshold (one
    // more at most in this instant: a second that empties b_io too has nothing left to write now).
    if (pass === 1 || !overBackgroundThreshold(m, p)) {
      f.round = null;
      return;
    }
    f.round = ctx.now;
    f.stats.rounds++;
  }
}

/** When the requests in flight (`writes`, completion times ascending) drop below `nr`. */
function slotFreeAt(writes: readonly number[], nr: number): number {
  return writes[writes.length - nr];
}
