/**
 * Invariants of the page allocator, checked over the whole state (O(pages): for tests and
 * optional run-time checking). The first violation found is returned.
 */
import { GROUP_SHIFT, mergeable } from '../memory/buddy.ts';
import { pbStartPfn } from '../memory/mutMemory.ts';
import {
  FREE_TAIL, headOrder, K_ANON, K_PAGECACHE, K_RECLAIMABLE, K_RESERVED, K_TAKEN, K_UNMOVABLE, KIND_NAMES, kindOf, refOf,
} from '../memory/pageCode.ts';
import { shardGet, shardValues } from '../memory/shardedMap.ts';
import { MIGRATETYPES, MT_INDEX, type AllocRecord, type MemoryState, type Migratetype, type ZoneCounters } from '../memory/state.ts';
import type { SimState } from '../state.ts';
import type { Violation } from './violation.ts';

const hex = (n: number) => `0x${n.toString(16)}`;
const COUNTER: Record<number, keyof ZoneCounters> = {
  [K_UNMOVABLE]: 'unmovable', [K_RECLAIMABLE]: 'reclaimable', [K_ANON]: 'anon', [K_PAGECACHE]: 'pagecache', [K_TAKEN]: 'taken', [K_RESERVED]: 'reserved',
};
const ALLOC_KIND: Record<number, string> = { [K_UNMOVABLE]: 'unmovable', [K_RECLAIMABLE]: 'reclaimable', [K_ANON]: 'movable' };

export function checkMemoryInvariants(s: SimState | MemoryState): Violation | null {
  const mem: MemoryState = 'pageblocks' in s ? s : s.memory;
  const { pageblockOrder: pbo, maxOrder } = mem.config;
  const pbPages = 2 ** pbo;
  const nZ = mem.zones.length;
  const blocks = mem.zones.map(() => MIGRATETYPES.map(() => new Array(maxOrder + 1).fill(0)));
  const groups = mem.zones.map(() => MIGRATETYPES.map(() => Array.from({ length: maxOrder + 1 }, () => new Map<number, number>())));
  const freeByMt = mem.zones.map(() => MIGRATETYPES.map(() => 0));
  const used = mem.zones.map(() => ({ unmovable: 0, reclaimable: 0, anon: 0, pagecache: 0, taken: 0, reserved: 0 }) as Record<keyof ZoneCounters, number>);
  const cmaPages = new Array(nZ).fill(0);
  const pinCount = new Map<number, number>();
  for (const r of shardValues(mem.pins)) if (r.pfn >= 0) pinCount.set(r.pfn, (pinCount.get(r.pfn) ?? 0) + 1);

  for (const bank of mem.banks) {
    const end = bank.startPfn + bank.nrPages;
    let tailUntil = -1; // pages < tailUntil belong to the free block seen last
    let tailMt: Migratetype = 'MOVABLE'; // the current free block's head pageblock type (read only inside a block)
    for (let pfn = bank.startPfn; pfn < end; pfn++) {
      const pbi = bank.firstPb + Math.floor((pfn - bank.startPfn) / pbPages);
      const pb = mem.pageblocks[pbi];
      const off = pfn % pbPages;
      const c = pb.pages[off];
      const at = { pfn, pageblock: pbi };
      if (off === 0) {
        if (pb.zone !== bank.zone) return { invariant: 'pageblock-zone', message: `pageblock ${pbi} is in zone ${pb.zone}, its bank in ${bank.zone}`, ...at };
        if ((pb.mt === 'ISOLATE') !== (pb.saved !== null)) return { invariant: 'isolate-saved', message: `pageblock ${pbi} is ${pb.mt} with saved type ${pb.saved}`, ...at };
        let nf = 0;
        for (const x of pb.pages) if (x < 0) nf++;
        if (nf !== pb.nrFree) return { invariant: 'pageblock-free-count', message: `pageblock ${pbi} counts ${pb.nrFree} free pages, has ${nf}`, ...at };
        const hs = new Set(pb.heads);
        if (hs.size !== pb.heads.length) return { invariant: 'free-list-unique', message: `pageblock ${pbi} lists a free head twice`, ...at };
        let mask = 0;
        for (const h of pb.heads) mask |= 1 << headOrder(pb.pages[h]);
        if ((mask & pb.orders) !== mask) return { invariant: 'free-list-orders', message: `pageblock ${pbi} order mask ${pb.orders} misses orders of its heads (${mask})`, ...at };
        for (let k = 0; k < pbPages; k++) {
          if (headOrder(pb.pages[k]) >= 0 !== hs.has(k)) return { invariant: 'free-list-membership', message: `page ${hex(pfn + k)}: head code and pageblock head list disagree`, pfn: pfn + k, pageblock: pbi };
        }
        if (pb.mt === 'CMA' || pb.reserve === 'cma') cmaPages[pb.zone] += pbPages;
        if (pb.pins !== null) {
          for (const [k, n] of Object.entries(pb.pins)) {
            if (pinCount.get(pfn + Number(k)) !== n) return { invariant: 'pin-count', message: `page ${hex(pfn + Number(k))} has pin count ${n}, pin records say ${pinCount.get(pfn + Number(k)) ?? 0}`, pfn: pfn + Number(k), pageblock: pbi };
          }
        }
      }
      if (pinCount.has(pfn) && (pb.pins?.[String(off)] ?? 0) === 0) return { invariant: 'pin-count', message: `page ${hex(pfn)} is pinned by a record but has no pin count`, ...at };
      if (c === FREE_TAIL) {
        if (pfn >= tailUntil) return { invariant: 'free-tail-covered', message: `page ${hex(pfn)} is a free tail outside any free block`, ...at };
        // Before 6.9 (mergeRule 'keep-types') ordinary types merge without retyping; CMA and ISOLATE never do.
        const mixed = pb.mt !== tailMt && (mem.config.mergeRule === 'retype' || !mergeable(pb.mt, tailMt));
        if (mixed) return { invariant: 'free-block-one-migratetype', message: `free block spans pageblocks of ${tailMt} and ${pb.mt}`, ...at };
        freeByMt[pb.zone][MT_INDEX[tailMt]]++; // the block is on its head pageblock's list
        continue;
      }
      if (pfn < tailUntil) return { invariant: 'one-state-per-page', message: `page ${hex(pfn)} inside a free block has code ${c}`, ...at };
      const o = headOrder(c);
      if (c < 0) {
        if (o < 0 || o > maxOrder) return { invariant: 'page-code', message: `page ${hex(pfn)} has invalid free code ${c}`, ...at };
        if (pfn % 2 ** o !== 0 || pfn + 2 ** o > end) return { invariant: 'free-block-aligned', message: `free block of order ${o} at ${hex(pfn)} is misaligned or crosses the bank end`, ...at };
        if (pinCount.has(pfn)) return { invariant: 'pinned-page-in-use', message: `free page ${hex(pfn)} is pinned`, ...at };
        tailUntil = pfn + 2 ** o;
        tailMt = pb.mt;
        const mi = MT_INDEX[pb.mt];
        blocks[pb.zone][mi][o]++;
        const gm = groups[pb.zone][mi][o];
        gm.set(pbi >> GROUP_SHIFT, (gm.get(pbi >> GROUP_SHIFT) ?? 0) + 1);
        freeByMt[pb.zone][mi]++;
        continue;
      }
      const k = kindOf(c);
      const field = COUNTER[k];
      if (field === undefined) return { invariant: 'page-code', message: `page ${hex(pfn)} has invalid code ${c}`, ...at };
      used[pb.zone][field]++;
      if ((pb.mt === 'CMA' || (pb.mt === 'ISOLATE' && pb.saved === 'CMA')) && k !== K_ANON && k !== K_PAGECACHE && k !== K_TAKEN) {
        return { invariant: 'cma-holds-movable', message: `CMA pageblock ${pbi} holds a ${KIND_NAMES[k]} page at ${hex(pfn)}`, ...at };
      }
      if (ALLOC_KIND[k] !== undefined) {
        const rec = shardGet<AllocRecord>(mem.allocs, refOf(c));
        if (rec === undefined || rec.kind !== ALLOC_KIND[k] || pfn < rec.pfn || pfn >= rec.pfn + 2 ** rec.order) {
          return { invariant: 'allocation-owns-page', message: `page ${hex(pfn)} names allocation serial ${refOf(c)}, which does not cover it`, ...at };
        }
        if (shardGet<number>(mem.allocIds, rec.id) !== refOf(c)) return { invariant: 'allocation-id', message: `allocation '${rec.id}' is not indexed by its id`, ...at };
      }
      if ((k === K_TAKEN || k === K_RESERVED) && mem.owners[refOf(c)] === undefined) {
        return { invariant: 'page-owner', message: `page ${hex(pfn)} names unknown owner ${refOf(c)}`, ...at };
      }
    }
  }
  for (let z = 0; z < nZ; z++) {
    const zs = mem.zones[z];
    const where = `zone ${zs.name}`;
    for (const mt of MIGRATETYPES) {
      const f = zs.free[MT_INDEX[mt]];
      if (f.nrFree !== freeByMt[z][MT_INDEX[mt]]) return { invariant: 'free-list-count', message: `${where} ${mt}: counts ${f.nrFree} free pages, pages say ${freeByMt[z][MT_INDEX[mt]]}` };
      for (let o = 0; o <= maxOrder; o++) {
        if (f.blocks[o] !== blocks[z][MT_INDEX[mt]][o]) return { invariant: 'free-list-count', message: `${where} ${mt} order ${o}: counts ${f.blocks[o]} blocks, pages say ${blocks[z][MT_INDEX[mt]][o]}` };
        const gm = groups[z][MT_INDEX[mt]][o];
        for (let g = 0; g < f.groups[o].length; g++) {
          if (f.groups[o][g] !== (gm.get(g) ?? 0)) return { invariant: 'free-list-count', message: `${where} ${mt} order ${o}: group ${g} counts ${f.groups[o][g]}, pages say ${gm.get(g) ?? 0}`, pageblock: g << GROUP_SHIFT };
        }
      }
    }
    const nf = freeByMt[z].reduce((a, b) => a + b, 0);
    if (zs.nrFree !== nf) return { invariant: 'zone-free-count', message: `${where}: counts ${zs.nrFree} free pages, pages say ${nf}` };
    for (const [k, v] of Object.entries(used[z])) {
      if (zs.used[k as keyof ZoneCounters] !== v) return { invariant: 'zone-counters', message: `${where}: counts ${zs.used[k as keyof ZoneCounters]} ${k} pages, pages say ${v}` };
    }
    const total = nf + Object.values(used[z]).reduce((a, b) => a + b, 0);
    if (total !== zs.spanned) return { invariant: 'pages-sum', message: `${where}: free + in use = ${total}, spanned ${zs.spanned}` };
    if (zs.cmaPages !== cmaPages[z]) return { invariant: 'cma-total', message: `${where}: CmaTotal ${zs.cmaPages}, CMA pageblocks hold ${cmaPages[z]}` };
  }
  return null;
}

/**
 * Transition check: no page of a pageblock that was ISOLATE before and after the step went from
 * free to allocated, except by takeRange (which makes it 'taken'). Only pageblocks whose record
 * changed are looked at, so this is cheap with structural sharing.
 */
export function checkIsolateNotAllocated(prev: SimState | MemoryState, next: SimState | MemoryState): Violation | null {
  const a: MemoryState = 'pageblocks' in prev ? prev : prev.memory;
  const b: MemoryState = 'pageblocks' in next ? next : next.memory;
  if (a.pageblocks === b.pageblocks) return null;
  for (let i = 0; i < b.pageblocks.length; i++) {
    const x = a.pageblocks[i];
    const y = b.pageblocks[i];
    if (x === y || x.mt !== 'ISOLATE' || y.mt !== 'ISOLATE') continue;
    for (let k = 0; k < y.pages.length; k++) {
      if (x.pages[k] < 0 && y.pages[k] > 0 && kindOf(y.pages[k]) !== K_TAKEN) {
        const pfn = pbStartPfn(b.banks, b.config.pageblockOrder, i) + k;
        return { invariant: 'isolate-never-allocates', message: `page ${hex(pfn)} of isolated pageblock ${i} was allocated (${KIND_NAMES[kindOf(y.pages[k])]})`, pfn, pageblock: i };
      }
    }
  }
  return null;
}
