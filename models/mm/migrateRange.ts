import { mutPagecache, stats } from '../pagecache/mutPagecache.ts';
import { ioDoneAt } from '../pagecache/io.ts';
import { movePage, removePage } from '../pagecache/pageOps.ts';
import { allocsWithoutReclaim } from '../pagecache/fault.ts';
import type { PcMut } from '../pagecache/mutPagecache.ts';
import { allocWithReclaim, isPinned, type ReclaimTally } from '../pagecache/reclaim.ts';
import { allocRun, type AllocRequest } from '../memory/allocator.ts';
import type { SimDraft } from '../state.ts';
import { freeBlock, freeBlockAt } from '../memory/buddy.ts';
import type { MigrateOptions, MigrationOutcome } from './migrationOutcome.ts';
import { folioOf, moveFolio } from '../memory/folio.ts';
import { codeAt, memStats, mutMemory, pbIndexIn, pbRead, type MemMut } from '../memory/mutMemory.ts';
import { K_ANON, K_PAGECACHE, kindOf, pcFlags, PC_DIRTY, PC_WRITEBACK } from '../memory/pageCode.ts';
import { freeRun, runFreer } from '../memory/freeRun.ts';

/**
 * One pass of the migration loop of alloc_contig_range over [startPfn, endPfn) (reference §3):
 * clean page-cache pages are dropped when `discardClean`, other movable pages (page cache,
 * anonymous folios) are moved to free pages the allocator hands out, which are never in ISOLATE
 * pageblocks (isolate the range first). Pinned pages are busy, pages under writeback are left for
 * the caller to wait on, and pages with no free page to move into have failed. Unmovable pages
 * are counted apart. Reclaim run to find target pages (kswapd woken by the allocation, direct
 * reclaim) runs in this pass, so its work is charged to it.
 */
export function migrateRange(d: SimDraft, startPfn: number, endPfn: number, opts: MigrateOptions): MigrationOutcome {
  const m = mutMemory(d.memory, opts.ctx);
  const p = mutPagecache(d.pagecache, opts.ctx);
  // Read once: callers pass the costs of a draft (an immer proxy), and the loop below charges every page.
  const { migratePagecacheDirty, migratePagecacheClean, migrateAnon, busyPerPage, dropPerCleanPage, reclaimScanPerPage, reclaimFreePerPage } = opts.costs;
  const now = opts.now ?? 0;
  let migrated = 0, dropped = 0, busy = 0, writeback = 0, failed = 0, unmovable = 0, duration = 0, writebackDoneAt = 0;
  let locked = 0, lockedDoneAt = 0;
  const notMoved: number[] = [];
  // Direct reclaim run for a target sleeps on a congested device (3.17, pagecache/congestion.ts),
  // from the pass's start: the model does not track the time within the pass.
  const tally: ReclaimTally = { scanned: 0, freed: 0, ...(p.dp.bdi !== undefined && opts.now !== undefined ? { throttle: { at: now, ns: 0 } } : {}) };
  // Dropped pages are freed as runs; flushed before anything reads the free lists (allocations, free-block lookups).
  const drops = runFreer(m);
  /**
   * Pages [from, from + n) that each move to one new page (a page-cache page to migrate, an
   * order-0 anonymous folio), in isolated pageblocks and as many as can be allocated with no
   * reclaim woken, moved to targets allocated as one run (allocRun): the targets page-by-page
   * allocation would give, as the sources freed in between go to the ISOLATE lists, which no
   * allocation takes from and no watermark counts. The sources are freed after the moves, as one
   * run (freeRun: what freeing each after its move leaves, as the moves read no free list).
   * Counts and costs stay per page. Returns the pages moved (0: the caller goes on page by page,
   * as it does after a short run).
   */
  const moveRun = (from: number): number => {
    const most = Math.min(endPfn - from, allocsWithoutReclaim(m));
    if (most < 2 || !isolated(m, from)) return 0;
    let n = 1;
    while (n < most && isolated(m, from + n) && movesToOnePage(m, p, from + n, opts)) n++;
    if (n < 2) return 0;
    const to = allocRun(m, PAGE, n);
    for (let j = 0; j < to.length; j++) {
      const src = from + j;
      const c = codeAt(m, src);
      if (kindOf(c) === K_PAGECACHE) {
        movePage(m, p, src, to[j], false);
        duration += pcFlags(c) & PC_DIRTY ? migratePagecacheDirty : migratePagecacheClean;
      } else {
        moveFolio(m, folioOf(m, src, c), to[j], false);
        duration += migrateAnon;
      }
      migrated++;
    }
    freeRun(m, from, to.length);
    return to.length;
  };
  let pfn = startPfn;
  while (pfn < endPfn) {
    const c = codeAt(m, pfn);
    if (c < 0) {
      drops.flush();
      const fb = freeBlockAt(m, pfn)!;
      pfn = fb.head + 2 ** fb.order;
      continue;
    }
    const k = kindOf(c);
    if (k === K_PAGECACHE) {
      const fl = pcFlags(c);
      const v = pagecacheVerdict(m, p, pfn, fl, opts);
      if (v === LOCKED) {
        locked++;
        notMoved.push(pfn);
        lockedDoneAt = Math.max(lockedDoneAt, ioDoneAt(m, p, pfn, 'read', now)!);
      } else if (v === BUSY) {
        busy++;
        duration += busyPerPage;
        notMoved.push(pfn);
      } else if (v === WRITEBACK) {
        writeback++;
        notMoved.push(pfn);
        // The flusher's completion of this page; a page with no run recorded waits for the whole queue.
        writebackDoneAt = Math.max(writebackDoneAt, ioDoneAt(m, p, pfn, 'write', now) ?? p.dp.writebackBusyUntil);
      } else if (v === DROP) {
        removePage(m, p, pfn, false);
        drops.free(pfn);
        dropped++;
        duration += dropPerCleanPage;
      } else {
        drops.flush();
        const run = moveRun(pfn);
        if (run > 0) { pfn += run; continue; }
        const to = allocWithReclaim(m, p, PAGE, tally);
        if (to < 0) { failed++; notMoved.push(pfn); }
        else if (codeAt(m, pfn) !== c) {
          // Reclaim, run to find the target, took this very page: nothing left to move.
          freeBlock(m, to, 0);
          dropped++;
          duration += dropPerCleanPage;
        } else {
          movePage(m, p, pfn, to);
          migrated++;
          duration += fl & PC_DIRTY ? migratePagecacheDirty : migratePagecacheClean;
        }
      }
      pfn++;
      continue;
    }
    const f = folioOf(m, pfn, c);
    const n = f.n;
    if (k !== K_ANON) {
      unmovable += Math.min(endPfn, f.pfn + n) - pfn;
      notMoved.push(pfn);
    } else if (folioPinned(m, f.pfn, n)) {
      busy += n;
      duration += busyPerPage * n;
      notMoved.push(pfn);
    } else {
      drops.flush();
      const run = n === 1 ? moveRun(pfn) : 0;
      if (run > 0) { pfn += run; continue; }
      const to = allocWithReclaim(m, p, { mt: 'MOVABLE', order: f.order }, tally);
      if (to < 0) { failed += n; notMoved.push(pfn); }
      else {
        moveFolio(m, f, to);
        migrated += n;
        duration += migrateAnon * n;
      }
    }
    pfn = f.pfn + n;
  }
  drops.flush();
  if (migrated > 0) memStats(m).migrated += migrated;
  stats(p).migrated += migrated;
  stats(p).dropped += dropped;
  const remaining = busy + writeback + locked + failed + unmovable;
  const reclaimNs = tally.scanned * reclaimScanPerPage + tally.freed * reclaimFreePerPage;
  return { migrated, dropped, busy, writeback, writebackDoneAt, locked, lockedDoneAt, failed, unmovable, remaining, durationNs: duration + reclaimNs, reclaimNs, throttleNs: tally.throttle?.ns ?? 0, notMoved };
}

const PAGE: AllocRequest = { mt: 'MOVABLE', order: 0 };

/** What one pass does with a page-cache page: wait for its read, count it busy, wait for its write, drop it or move it. */
const LOCKED = 0, BUSY = 1, WRITEBACK = 2, DROP = 3, MOVE = 4;

function pagecacheVerdict(m: MemMut, p: PcMut, pfn: number, fl: number, opts: MigrateOptions): number {
  const now = opts.now ?? 0;
  // A page still being read in is locked: reclaim_clean_pages_from_list skips it (trylock
  // fails) and migrate_pages in MIGRATE_SYNC sleeps in folio_lock until the read ends.
  if (opts.now !== undefined && ioDoneAt(m, p, pfn, 'read', now) !== null) return LOCKED;
  // Pinned, or a transient reference (a reader copying it): the refcount check fails.
  if (isPinned(m, pfn) || (opts.now !== undefined && ioDoneAt(m, p, pfn, 'ref', now) !== null)) return BUSY;
  if (fl & PC_WRITEBACK) return WRITEBACK;
  if (opts.discardClean && !(fl & PC_DIRTY)) return DROP;
  return MOVE;
}

/** Whether the pass moves the page at pfn to one newly allocated page. */
function movesToOnePage(m: MemMut, p: PcMut, pfn: number, opts: MigrateOptions): boolean {
  const c = codeAt(m, pfn);
  const k = kindOf(c);
  if (k === K_PAGECACHE) return pagecacheVerdict(m, p, pfn, pcFlags(c), opts) === MOVE;
  return k === K_ANON && folioOf(m, pfn, c).order === 0 && !isPinned(m, pfn);
}

const isolated = (m: MemMut, pfn: number): boolean => pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).mt === 'ISOLATE';

function folioPinned(m: MemMut, pfn: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (isPinned(m, pfn + i)) return true;
  return false;
}
