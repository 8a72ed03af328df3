import type { AllocKindName, MemoryEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';
import { mutPagecache } from '../pagecache/mutPagecache.ts';
import { allocWithReclaim, isPinned } from '../pagecache/reclaim.ts';
import type { AllocMt } from '../memory/allocator.ts';
import { freeBlock, setCodes } from '../memory/buddy.ts';
import { addUsed } from '../memory/carve.ts';
import { memStats, mutMemory } from '../memory/mutMemory.ts';
import { K_ANON, K_RECLAIMABLE, K_UNMOVABLE, useCode } from '../memory/pageCode.ts';
import { pinPage, unpinPage } from './pinPage.ts';
import { shardDelete, shardGet, shardSet } from '../memory/shardedMap.ts';
import type { AllocRecord, ZoneCounters } from '../memory/state.ts';

const KINDS: Readonly<Record<AllocKindName, { mt: AllocMt; code: number; counter: keyof ZoneCounters }>> = {
  unmovable: { mt: 'UNMOVABLE', code: K_UNMOVABLE, counter: 'unmovable' },
  reclaimable: { mt: 'RECLAIMABLE', code: K_RECLAIMABLE, counter: 'reclaimable' },
  movable: { mt: 'MOVABLE', code: K_ANON, counter: 'anon' },
};

export const memoryHandlers: Handlers<MemoryEvent> = {
  'memory.alloc': (d, e, ctx) => {
    const k = KINDS[e.kind];
    if (k === undefined) throw new Error(`memory.alloc: field 'kind' must be 'unmovable', 'reclaimable' or 'movable', got ${JSON.stringify(e.kind)}`);
    const m = mutMemory(d.memory);
    const order = e.order ?? 0;
    if (!Number.isInteger(order) || order < 0 || order > m.maxOrder) throw new Error(`memory.alloc: field 'order' must be an integer in [0, ${m.maxOrder}], got ${order}`);
    if (shardGet<number>(d.memory.allocIds, e.id) !== undefined) throw new Error(`memory.alloc: id '${e.id}' is already allocated`);
    const owner = e.owner ?? '';
    const pfn = allocWithReclaim(m, mutPagecache(d.pagecache), { mt: k.mt, order });
    if (pfn < 0) {
      memStats(m).allocFailures += 1;
      ctx.schedule({ type: 'memory.alloc.failed', id: e.id, kind: e.kind, order, owner, reason: 'no free block after reclaim' });
      return;
    }
    const serial = d.memory.nextSerial;
    m.dm.nextSerial = serial + 1;
    setCodes(m, pfn, 2 ** order, useCode(k.code, serial));
    addUsed(m, pfn, k.counter, 2 ** order);
    shardSet<AllocRecord>(d.memory.allocs, serial, { id: e.id, kind: e.kind, owner, pfn, order });
    shardSet<number>(d.memory.allocIds, e.id, serial);
  },
  'memory.free': (d, e) => {
    const serial = shardGet<number>(d.memory.allocIds, e.id);
    if (serial === undefined) throw new Error(`memory.free: no allocation with id '${e.id}'`);
    const m = mutMemory(d.memory);
    const rec = shardGet<AllocRecord>(d.memory.allocs, serial)!;
    const n = 2 ** rec.order;
    for (let i = 0; i < n; i++) {
      if (isPinned(m, rec.pfn + i)) throw new Error(`memory.free: allocation '${e.id}' has a pinned page at pfn 0x${(rec.pfn + i).toString(16)}; unpin it first`);
    }
    addUsed(m, rec.pfn, KINDS[rec.kind].counter, -n);
    freeBlock(m, rec.pfn, rec.order);
    shardDelete(d.memory.allocs, serial);
    shardDelete(d.memory.allocIds, e.id);
  },
  'memory.alloc.failed': () => {},
  'page.pin': (d, e, ctx) => {
    const why = pinPage(d, e);
    if (why !== null) ctx.schedule({ type: 'page.pin.failed', id: e.id, reason: why });
  },
  'page.unpin': (d, e) => unpinPage(d, e.id),
  'page.pin.failed': () => {},
};
