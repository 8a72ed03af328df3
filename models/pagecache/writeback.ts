/**
 * The flusher (the bdi writeback worker of fs/fs-writeback.c, with the thresholds of
 * mm/page-writeback.c): when dirtied pages are written back, and how long the device takes.
 *
 * - Periodic ("kupdate") writeback: a page dirtied at t is written back at t + dirtyExpireNs.
 *   The kernel writes an inode once it has been dirty for dirty_expire_interval, at the flusher's
 *   next wakeup (every dirty_writeback_interval); the model starts it at expiry, so up to one
 *   wakeup interval earlier, and per dirtied run rather than per inode.
 * - Background writeback: when dirty pages exceed dirtyBackgroundRatio percent of dirtyable
 *   memory, the flusher is woken at once (balance_dirty_pages -> wb_start_background_writeback).
 *   The kernel then writes the oldest inodes until below the threshold; the model writes the run
 *   just dirtied, which keeps the same number of dirty pages.
 * - The device writes one run after another (one bdi per machine), each page taking
 *   writebackPerPageNs, so writeback throughput is the device's, however many runs are queued.
 */
import { zoneRead, type MemMut } from '../memory/mutMemory.ts';
import type { Ctx } from '../context.ts';
import type { PcMut } from './mutPagecache.ts';
import { counts } from './mutPagecache.ts';

/** dirty_expire_interval = 30 * 100 centiseconds (mm/page-writeback.c, unchanged since 2.6). */
export const DIRTY_EXPIRE_NS = 30e9;
/** dirty_background_ratio = 10 percent (mm/page-writeback.c). */
export const DIRTY_BACKGROUND_RATIO = 10;
/**
 * Write bandwidth the kernel assumes for a device before it has measured one: INIT_BW,
 * "100 MB/s" = 100 << (20 - PAGE_SHIFT) pages per second (mm/backing-dev.c). The model has no
 * measured bandwidth, so this is the per-page cost: 4096 / (100 * 2^20) s = 39,063 ns for 4 KiB.
 */
export const INIT_BW_BYTES_PER_SEC = 100 * 2 ** 20;

export function defaultWritebackPerPageNs(pageSize: number): number {
  return Math.round((pageSize * 1e9) / INIT_BW_BYTES_PER_SEC);
}

/**
 * Pages counted as dirtyable (global_dirtyable_memory in mm/page-writeback.c): free pages above
 * the zones' reserves (the high watermarks; totalreserve_pages) plus the file pages.
 */
export function dirtyableMemory(m: MemMut, p: PcMut): number {
  let free = 0, reserve = 0;
  for (let zi = 0; zi < m.baseZones.length; zi++) {
    const z = zoneRead(m, zi);
    free += z.nrFree;
    reserve += z.watermark.high;
  }
  return free - Math.min(free, reserve) + counts(p).nrPages;
}

/** Whether dirty pages exceed the background threshold (wb_over_bg_thresh). */
export function overBackgroundThreshold(m: MemMut, p: PcMut): boolean {
  const ratio = p.base.config.dirtyBackgroundRatio;
  return ratio !== null && counts(p).nrDirty > Math.floor((ratio * dirtyableMemory(m, p)) / 100);
}

/** Delay until writeback of a run just dirtied starts, or null when it waits for an explicit writeback.start. */
export function writebackDelay(m: MemMut, p: PcMut): number | null {
  if (overBackgroundThreshold(m, p)) return 0;
  return p.base.config.dirtyExpireNs;
}

/**
 * Queue `pages` pages of writeback on the device: returns the delay from now until they are
 * written, after everything queued before them.
 */
export function queueWriteback(p: PcMut, ctx: Ctx, pages: number): number {
  const start = Math.max(ctx.now, p.dp.writebackBusyUntil);
  const end = start + pages * p.base.config.writebackPerPageNs;
  p.dp.writebackBusyUntil = end;
  return end - ctx.now;
}
