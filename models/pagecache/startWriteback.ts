import type { Ctx } from '../context.ts';
import type { MemMut } from '../memory/mutMemory.ts';
import { PC_DIRTY, PC_WRITEBACK } from '../memory/pageCode.ts';
import { submitWrites } from './congestion.ts';
import { noteIo } from './io.ts';
import { stats, type PcMut } from './mutPagecache.ts';
import { eachCachedRun, eachCodeRun, setPcFlagsRun } from './pageOps.ts';
import { queueWriteback } from './writeback.ts';
/**
 * Start writeback of the dirty pages of [index, index + count) of `file` (pagecache.writeback.start,
 * or the flusher's background writeback): they become clean and under writeback, the device
 * queues them after what it has queued (and the request queue counts their requests, congestion.ts),
 * and `pagecache.writeback.done` is scheduled for when it has written them. Returns the pages.
 */
export function startWriteback(m: MemMut, p: PcMut, ctx: Ctx, file: string, index: number, count: number): number {
  let n = 0;
  eachCachedRun(p, file, index, count, (pfn, k) => eachCodeRun(m, pfn, k, false, (q, r, fl) => {
    if (fl & PC_DIRTY) { setPcFlagsRun(m, p, q, r, PC_WRITEBACK, PC_DIRTY); n += r; }
  }));
  if (n === 0) return 0;
  stats(p).writebacks += n;
  const perPage = p.base.config.writebackPerPageNs;
  const delay = queueWriteback(p, ctx, n);
  const bdi = p.dp.bdi;
  if (bdi !== undefined) submitWrites(bdi, ctx.now, ctx.now + delay - n * perPage, n, perPage, m.cfg.pageSize);
  noteIo(p, ctx.now, file, 'write', index, count, ctx.now + delay);
  ctx.schedule({ type: 'pagecache.writeback.done', file, index, count }, delay);
  return n;
}
