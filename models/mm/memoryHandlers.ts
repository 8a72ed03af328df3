import type { AllocKindName, MemoryEvent } from '../../events/index.ts';
import type { SimDraft } from '../state.ts';
import { allocsWithoutReclaim } from '../pagecache/fault.ts';
import type { Handlers } from '../context.ts';
import { mutPagecache } from '../pagecache/mutPagecache.ts';
import { allocWithReclaim, isPinned } from '../pagecache/reclaim.ts';
import { allocRun, type AllocMt } from '../memory/allocator.ts';
import { freeBlock, setCodes } from '../memory/buddy.ts';
import { addUsed } from '../memory/carve.ts';
import { memStats, mutMemory, type MemMut } from '../memory/mutMemory.ts';
import { K_ANON, K_RECLAIMABLE, K_UNMOVABLE, useCode } from '../memory/pageCode.ts';
import { pinPage, unpinPage } from './pinPage.ts';
import { shardDelete, shardGet, shardSet } from '../memory/shardedMap.ts';
import type { AllocRecord, ZoneCounters } from '../memory/state.ts';

const KINDS: Readonly<Record<AllocKindName, { mt: AllocMt; code: number; counter: keyof ZoneCounters }>> = {
  unmovable: { mt: 'UNMOVABLE', code: K_UNMOVABLE, counter: 'unmovable' },
  reclaimable: { mt: 'RECLAIMABLE', code: K_RECLAIMABLE, counter: 'reclaimable' },
  movable: { mt: 'MOVABLE', code: K_ANON, counter: 'anon' },
};

/** The ids of a `count` run: `<id>.0` .. `<id>.<count-1>`. */
export function runIds(id: string, count: number): string[] {
  return Array.from({ length: count }, (_, k) => `${id}.${k}`);
}

/** Record the block of 2^order pages at pfn as allocation `id`. */
function record(d: SimDraft, m: MemMut, kind: AllocKindName, id: string, owner: string, pfn: number, order: number): void {
  const k = KINDS[kind];
  const serial = d.memory.nextSerial;
  m.dm.nextSerial = serial + 1;
  setCodes(m, pfn, 2 ** order, useCode(k.code, serial));
  addUsed(m, pfn, k.counter, 2 ** order);
  shardSet<AllocRecord>(d.memory.allocs, serial, { id, kind, owner, pfn, order });
  shardSet<number>(d.memory.allocIds, id, serial);
}

/** Free allocation `id` (its record at `serial`), refusing while one of its pages is pinned (checked by the caller first). */
function release(d: SimDraft, m: MemMut, id: string, serial: number): void {
  const rec = shardGet<AllocRecord>(d.memory.allocs, serial)!;
  addUsed(m, rec.pfn, KINDS[rec.kind].counter, -(2 ** rec.order));
  freeBlock(m, rec.pfn, rec.order);
  shardDelete(d.memory.allocs, serial);
  shardDelete(d.memory.allocIds, id);
}

function assertUnpinned(d: SimDraft, m: MemMut, id: string, serial: number): void {
  const rec = shardGet<AllocRecord>(d.memory.allocs, serial)!;
  for (let i = 0; i < 2 ** rec.order; i++) {
    if (isPinned(m, rec.pfn + i)) throw new Error(`memory.free: allocation '${id}' has a pinned page at pfn 0x${(rec.pfn + i).toString(16)}; unpin it first`);
  }
}

const PAGE = { mt: 'MOVABLE', order: 0 } as const;

export const memoryHandlers: Handlers<MemoryEvent> = {
  'memory.alloc': (d, e, ctx) => {
    const k = KINDS[e.kind];
    if (k === undefined) throw new Error(`memory.alloc: field 'kind' must be 'unmovable', 'reclaimable' or 'movable', got ${JSON.stringify(e.kind)}`);
    const m = mutMemory(d.memory);
    const order = e.order ?? 0;
    if (!Number.isInteger(order) || order < 0 || order > m.maxOrder) throw new Error(`memory.alloc: field 'order' must be an integer in [0, ${m.maxOrder}], got ${order}`);
    if (e.count !== undefined && order !== 0) throw new Error(`memory.alloc: field 'count' needs order 0, got order ${order}`);
    const ids = e.count === undefined ? [e.id] : runIds(e.id, e.count);
    for (const id of ids) if (shardGet<number>(d.memory.allocIds, id) !== undefined) throw new Error(`memory.alloc: id '${id}' is already allocated`);
    const owner = e.owner ?? '';
    const p = mutPagecache(d.pagecache);
    for (let i = 0; i < ids.length;) {
      // Pages no reclaim can come between are taken as one run (allocRun: the pages one by one would give).
      const safe = k.mt === 'MOVABLE' ? Math.min(ids.length - i, allocsWithoutReclaim(m)) : 0;
      if (safe >= 2) {
        const pfns = allocRun(m, PAGE, safe);
        for (const pfn of pfns) record(d, m, e.kind, ids[i++], owner, pfn, 0);
        if (pfns.length === safe) continue;
      }
      const pfn = allocWithReclaim(m, p, { mt: k.mt, order });
      if (pfn < 0) {
        memStats(m).allocFailures += 1;
        ctx.schedule({ type: 'memory.alloc.failed', id: ids[i], kind: e.kind, order, owner, reason: 'no free block after reclaim' });
        return;
      }
      record(d, m, e.kind, ids[i++], owner, pfn, order);
    }
  },
  'memory.free': (d, e, ctx) => {
    const ids = e.count === undefined ? [e.id] : runIds(e.id, e.count);
    const live = ids.map((id) => [id, shardGet<number>(d.memory.allocIds, id)] as const).filter((x): x is readonly [string, number] => x[1] !== undefined);
    if (live.length === 0) throw new Error(`memory.free: no allocation with id '${ids[0]}'`);
    const m = mutMemory(d.memory);
    for (const [id, serial] of live) assertUnpinned(d, m, id, serial);
    for (const [id, serial] of live) release(d, m, id, serial);
  },
  'memory.alloc.failed': () => {},
  'page.pin': (d, e, ctx) => {
    const why = pinPage(d, e);
    if (why !== null) ctx.schedule({ type: 'page.pin.failed', id: e.id, reason: why });
  },
  'page.unpin': (d, e) => unpinPage(d, e.id),
  'page.pin.failed': () => {},
};
