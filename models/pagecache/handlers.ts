import type { PageCacheEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';
import { isPinned, muts } from './reclaim.ts';
import { faultPages } from './fault.ts';
import { eachCachedRun, eachCodeRun, lruRunRoom, removeRun, setPcFlagsRun } from './pageOps.ts';
import type { MemMut } from '../memory/mutMemory.ts';
import { PC_DIRTY, PC_WRITEBACK } from '../memory/pageCode.ts';
import { stats, type PcMut } from './mutPagecache.ts';
import { writebackDelay } from './writeback.ts';
import { startWriteback } from './startWriteback.ts';
import { kswapdStep } from './kswapd.ts';
import { flushStep, maybeStartBackground, noteDirty } from './flusher.ts';
import { holdReadRefs, startRead, writeDone } from './io.ts';
import { cpuTime } from '../timing/cpu.ts';

interface Run { readonly type: string; readonly file: string; readonly index: number; readonly count?: number }

function runOf(e: Run): number {
  const count = e.count ?? 1;
  if (e.index < 0) throw new Error(`${e.type}: field 'index' must be >= 0, got ${e.index}`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${e.type}: field 'count' must be an integer >= 1, got ${count}`);
  return count;
}

/**
 * Apply f to the cached pages of the event's range, a run of pages with one page code at a time
 * (split by pin state too with `byPin`), in file index order: what page-by-page work would do.
 */
function eachCached(m: MemMut, p: PcMut, e: Run, byPin: boolean, f: (pfn: number, n: number, flags: number) => void): void {
  eachCachedRun(p, e.file, e.index, runOf(e), (pfn, n) => eachCodeRun(m, pfn, n, byPin, f));
}

export const pagecacheHandlers: Handlers<PageCacheEvent> = {
  'pagecache.fault': (d, e, ctx) => {
    const count = runOf(e);
    const { m, p } = muts(d, ctx);
    const r = faultPages(m, p, e.file, e.index, count);
    stats(p).faults += 1;
    stats(p).hits += r.hits;
    stats(p).misses += r.misses;
    if (r.reads.length > 0) startRead(p, ctx.now, e.file, r.reads);
    // The reader copies what it read with the allocating threads' CPUs and load (timing/cpu.ts).
    if (r.hits > 0) holdReadRefs(p, ctx.now, e.file, e.index, r.hits + r.misses, r.reads, cpuTime(d.cma.cpu, d.cma.costs.copyPerPage));
    if (r.failedAt >= 0) {
      ctx.schedule({ type: 'pagecache.fault.failed', file: e.file, index: r.failedAt, reason: 'no free page after reclaim' });
    }
  },
  'pagecache.dirty': (d, e, ctx) => {
    const { m, p } = muts(d, ctx);
    let newly = 0;
    eachCached(m, p, e, false, (pfn, n, fl) => {
      if (!(fl & PC_DIRTY)) { setPcFlagsRun(m, p, pfn, n, PC_DIRTY, 0); newly += n; }
    });
    const f = p.dp.flusher;
    if (f !== undefined && newly > 0) {
      noteDirty(f, e.file, e.index, e.count ?? 1, ctx.now);
      maybeStartBackground(m, p, f, ctx);
    }
    // With background writeback of the oldest inodes (flusher.ts), a run waits only for its expiry.
    const delay = newly === 0 ? null : f !== undefined ? p.base.config.dirtyExpireNs : writebackDelay(m, p);
    if (delay !== null) ctx.schedule({ type: 'pagecache.writeback.start', file: e.file, index: e.index, count: e.count ?? 1 }, delay);
  },
  'pagecache.writeback.start': (d, e, ctx) => {
    const { m, p } = muts(d, ctx);
    startWriteback(m, p, ctx, e.file, e.index, runOf(e));
  },
  'pagecache.writeback.done': (d, e, ctx) => {
    const { m, p } = muts(d, ctx);
    eachCached(m, p, e, false, (pfn, n, fl) => {
      if (fl & PC_WRITEBACK) setPcFlagsRun(m, p, pfn, n, 0, PC_WRITEBACK);
    });
    writeDone(p, ctx.now, e.file, e.index, e.count ?? 1);
  },
  'pagecache.evict': (d, e, ctx) => {
    const { m, p } = muts(d, ctx);
    eachCached(m, p, e, true, (pfn, n, fl) => {
      if (fl & (PC_DIRTY | PC_WRITEBACK) || isPinned(m, pfn)) return;
      // removeRun takes pages whose LRU positions follow one another too.
      for (let j = 0; j < n;) {
        const r = lruRunRoom(m, p, pfn + j, n - j);
        removeRun(m, p, pfn + j, r);
        j += r;
      }
      stats(p).dropped += n;
    });
  },
  'pagecache.fault.failed': () => {},
  'pagecache.kswapd': (d, e, ctx) => kswapdStep(d, e.gen, ctx),
  'pagecache.flush': (d, e, ctx) => flushStep(d, e.gen, ctx),
};
