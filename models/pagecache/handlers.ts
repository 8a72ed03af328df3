import type { PageCacheEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';
import { isPinned, muts } from './reclaim.ts';
import { faultPages } from './fault.ts';
import { eachCachedPage, removePage, setPcFlags } from './pageOps.ts';
import { runFreer } from '../memory/freeRun.ts';
import { codeAt, type MemMut } from '../memory/mutMemory.ts';
import { pcFlags, PC_DIRTY, PC_WRITEBACK } from '../memory/pageCode.ts';
import { stats, type PcMut } from './mutPagecache.ts';
import { queueWriteback, writebackDelay } from './writeback.ts';
import { holdReadRefs, noteIo, startRead, writeDone } from './io.ts';
import { cpuTime } from '../timing/cpu.ts';
import { submitWrites } from './congestion.ts';

interface Run { readonly type: string; readonly file: string; readonly index: number; readonly count?: number }

function runOf(e: Run): number {
  const count = e.count ?? 1;
  if (e.index < 0) throw new Error(`${e.type}: field 'index' must be >= 0, got ${e.index}`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${e.type}: field 'count' must be an integer >= 1, got ${count}`);
  return count;
}

/** Apply f to every cached page of the run. */
function eachCached(m: MemMut, p: PcMut, e: Run, f: (pfn: number, flags: number) => void): void {
  eachCachedPage(p, e.file, e.index, runOf(e), (pfn) => f(pfn, pcFlags(codeAt(m, pfn))));
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
    eachCached(m, p, e, (pfn, fl) => {
      if (!(fl & PC_DIRTY)) { setPcFlags(m, p, pfn, PC_DIRTY, 0); newly++; }
    });
    const delay = newly > 0 ? writebackDelay(m, p) : null;
    if (delay !== null) ctx.schedule({ type: 'pagecache.writeback.start', file: e.file, index: e.index, count: e.count ?? 1 }, delay);
  },
  'pagecache.writeback.start': (d, e, ctx) => {
    const { m, p } = muts(d, ctx);
    let n = 0;
    eachCached(m, p, e, (pfn, fl) => {
      if (fl & PC_DIRTY) { setPcFlags(m, p, pfn, PC_WRITEBACK, PC_DIRTY); n++; }
    });
    if (n > 0) {
      stats(p).writebacks += n;
      const delay = queueWriteback(p, ctx, n);
      const bdi = p.dp.bdi;
      if (bdi !== undefined) submitWrites(bdi, ctx.now, ctx.now + delay - n * p.base.config.writebackPerPageNs, n, p.base.config.writebackPerPageNs, m.cfg.pageSize);
      noteIo(p, ctx.now, e.file, 'write', e.index, e.count ?? 1, ctx.now + delay);
      ctx.schedule({ type: 'pagecache.writeback.done', file: e.file, index: e.index, count: e.count ?? 1 }, delay);
    }
  },
  'pagecache.writeback.done': (d, e, ctx) => {
    const { m, p } = muts(d, ctx);
    eachCached(m, p, e, (pfn, fl) => {
      if (fl & PC_WRITEBACK) setPcFlags(m, p, pfn, 0, PC_WRITEBACK);
    });
    writeDone(p, ctx.now, e.file, e.index, e.count ?? 1);
  },
  'pagecache.evict': (d, e, ctx) => {
    const { m, p } = muts(d, ctx);
    // The file's pages are freed in index order as runs of consecutive pfns (nothing here reads the free lists).
    const freer = runFreer(m);
    eachCached(m, p, e, (pfn, fl) => {
      if (!(fl & (PC_DIRTY | PC_WRITEBACK)) && !isPinned(m, pfn)) {
        removePage(m, p, pfn, false);
        freer.free(pfn);
        stats(p).dropped += 1;
      }
    });
    freer.flush();
  },
  'pagecache.fault.failed': () => {},
};
