/**
 * Invariants of the page allocator. The full walk (`checkMemoryInvariants`) reads every page;
 * `checkMemorySince` checks a state from the last one that passed, reading only the pageblocks
 * the step could have made wrong (see diff.ts) and keeping the page counts the zone counters are
 * compared with as totals updated by the changed pageblocks. Both walk pageblocks in the same
 * order with the same per-pageblock check, so they report the same first violation.
 */
import { GROUP_SHIFT, mergeable } from '../memory/buddy.ts';
import { bankIndexOf, pbStartPfn } from '../memory/mutMemory.ts';
import {
  FREE_TAIL, headOrder, K_ANON, K_PAGECACHE, K_RECLAIMABLE, K_RESERVED, K_TAKEN, K_UNMOVABLE, KIND_NAMES, kindOf, refOf,
} from '../memory/pageCode.ts';
import { shardGet, shardValues } from '../memory/shardedMap.ts';
import { MIGRATETYPES, MT_INDEX, type AllocRecord, type BankState, type MemoryState, type Migratetype, type PageblockState, type ZoneCounters } from '../memory/state.ts';
import type { SimState } from '../state.ts';
import { appendedOnly, changedIndices, eachShardChange } from './diff.ts';
import type { Violation } from './violation.ts';

const hex = (n: number) => `0x${n.toString(16)}`;
const COUNTER: Record<number, keyof ZoneCounters> = {
  [K_UNMOVABLE]: 'unmovable', [K_RECLAIMABLE]: 'reclaimable', [K_ANON]: 'anon', [K_PAGECACHE]: 'pagecache', [K_TAKEN]: 'taken', [K_RESERVED]: 'reserved',
};
/** Zone counters in the order they are compared (and ZoneCounters declares them). */
const COUNTER_KINDS = [K_UNMOVABLE, K_RECLAIMABLE, K_ANON, K_PAGECACHE, K_TAKEN, K_RESERVED];
const ALLOC_KIND: Record<number, string> = { [K_UNMOVABLE]: 'unmovable', [K_RECLAIMABLE]: 'reclaimable', [K_ANON]: 'movable' };
const NMT = MIGRATETYPES.length;

const memOf = (s: SimState | MemoryState): MemoryState => ('pageblocks' in s ? s : s.memory);

/** What one pageblock's pages add to its zone's counts; a function of the pageblock record alone. */
interface PbSummary {
  readonly free: number;
  /** Free block heads per order. */
  readonly heads: readonly number[];
  /** Pages in use per page kind (index = kind). */
  readonly used: readonly number[];
  /** [offset, order] of heads of blocks larger than a pageblock (their tails are in later pageblocks). */
  readonly big: readonly (readonly [number, number])[];
}

const summaries = new WeakMap<PageblockState, PbSummary>();

function summaryOf(pb: PageblockState, maxOrder: number, pbo: number): PbSummary {
  let s = summaries.get(pb);
  if (s !== undefined) return s;
  const heads = new Array<number>(maxOrder + 1).fill(0);
  const used = new Array<number>(8).fill(0);
  const big: [number, number][] = [];
  let free = 0;
  const pages = pb.pages;
  for (let k = 0; k < pages.length; k++) {
    const c = pages[k];
    if (c < 0) {
      free++;
      const o = headOrder(c);
      if (o >= 0 && o <= maxOrder) { heads[o]++; if (o > pbo) big.push([k, o]); }
    } else {
      used[kindOf(c)]++;
    }
  }
  s = { free, heads, used, big };
  summaries.set(pb, s);
  return s;
}

/** Page counts of one zone as the pages say (what ZoneState's counters must equal). */
interface ZoneTotals {
  readonly freeByMt: number[];
  /** [mt * (maxOrder + 1) + order] */
  readonly blocks: number[];
  /** [(mt * (maxOrder + 1) + order) * groups + group] */
  readonly groups: number[];
  readonly used: number[];
  cma: number;
}

/** Page counts of every zone as the pages say: what the incremental check carries from state to state. */
export interface MemTotals {
  readonly zones: readonly ZoneTotals[];
  readonly nGroups: number;
}

function emptyTotals(mem: MemoryState): MemTotals {
  const nO = mem.config.maxOrder + 1;
  const nGroups = (mem.pageblocks.length >> GROUP_SHIFT) + 1;
  return {
    nGroups,
    zones: mem.zones.map(() => ({
      freeByMt: new Array(NMT).fill(0), blocks: new Array(NMT * nO).fill(0), groups: new Array(NMT * nO * nGroups).fill(0), used: new Array(8).fill(0), cma: 0,
    })),
  };
}

function cloneZone(t: ZoneTotals): ZoneTotals {
  return { freeByMt: t.freeByMt.slice(), blocks: t.blocks.slice(), groups: t.groups.slice(), used: t.used.slice(), cma: t.cma };
}

function addPageblock(t: MemTotals, mem: MemoryState, pbi: number, pb: PageblockState, sign: number): void {
  const { maxOrder, pageblockOrder: pbo } = mem.config;
  const s = summaryOf(pb, maxOrder, pbo);
  const z = t.zones[pb.zone];
  if (z === undefined) return; // a pageblock naming no zone: reported by its own check
  const mi = MT_INDEX[pb.mt];
  z.freeByMt[mi] += sign * s.free;
  const nO = maxOrder + 1;
  const g = pbi >> GROUP_SHIFT;
  for (let o = 0; o < nO; o++) {
    if (s.heads[o] === 0) continue;
    z.blocks[mi * nO + o] += sign * s.heads[o];
    z.groups[(mi * nO + o) * t.nGroups + g] += sign * s.heads[o];
  }
  for (const k of COUNTER_KINDS) z.used[k] += sign * s.used[k];
  if (pb.mt === 'CMA' || pb.reserve === 'cma') z.cma += sign * 2 ** pbo;
}

/** Pin counts per pfn as the pin records say (a pin that failed has pfn -1 and counts nowhere). */
const pinMaps = new WeakMap<object, Map<number, number>>();
function pinCounts(mem: MemoryState): Map<number, number> {
  let m = pinMaps.get(mem.pins);
  if (m !== undefined) return m;
  m = new Map<number, number>();
  for (const r of shardValues(mem.pins)) if (r.pfn >= 0) m.set(r.pfn, (m.get(r.pfn) ?? 0) + 1);
  pinMaps.set(mem.pins, m);
  return m;
}

/** The free block the walk is inside when it reaches a pageblock: pages below tailUntil are its tails. */
interface TailCtx { tailUntil: number; tailMt: Migratetype | '' }

/** The bank holding pageblock pbi (banks are in pageblock order). */
function bankOfPb(banks: readonly BankState[], pbi: number): BankState {
  for (let k = banks.length - 1; k >= 0; k--) if (pbi >= banks[k].firstPb) return banks[k];
  return banks[0];
}

/**
 * The free block covering the first page of pageblock pbi, found by probing the aligned heads
 * before it (what the full walk carries in from earlier pageblocks, when they are consistent).
 */
function tailCtxAt(mem: MemoryState, bank: BankState, start: number): TailCtx {
  const { maxOrder, pageblockOrder: pbo } = mem.config;
  for (let o = pbo + 1; o <= maxOrder; o++) {
    const h = start - (start % 2 ** o);
    if (h === start) continue;
    if (h < bank.startPfn) break;
    const hpb = mem.pageblocks[bank.firstPb + ((h - bank.startPfn) >> pbo)];
    const ho = headOrder(hpb.pages[h % 2 ** pbo]);
    if (ho >= 0 && h + 2 ** ho > start) return { tailUntil: h + 2 ** ho, tailMt: hpb.mt };
  }
  return { tailUntil: -1, tailMt: '' };
}

/** Every per-page and per-pageblock invariant of pageblock pbi; `ctx` comes in from the pages before it and goes out updated. */
function checkPageblock(mem: MemoryState, pbi: number, bank: BankState, ctx: TailCtx, pinCount: Map<number, number>): Violation | null {
  const { pageblockOrder: pbo, maxOrder } = mem.config;
  const pbPages = 2 ** pbo;
  const end = bank.startPfn + bank.nrPages;
  const pb = mem.pageblocks[pbi];
  const first = bank.startPfn + ((pbi - bank.firstPb) << pbo);
  const at0 = { pfn: first, pageblock: pbi };
  if (pb.zone !== bank.zone) return { invariant: 'pageblock-zone', message: `pageblock ${pbi} is in zone ${pb.zone}, its bank in ${bank.zone}`, ...at0 };
  if ((pb.mt === 'ISOLATE') !== (pb.saved !== null)) return { invariant: 'isolate-saved', message: `pageblock ${pbi} is ${pb.mt} with saved type ${pb.saved}`, ...at0 };
  let nf = 0;
  for (const x of pb.pages) if (x < 0) nf++;
  if (nf !== pb.nrFree) return { invariant: 'pageblock-free-count', message: `pageblock ${pbi} counts ${pb.nrFree} free pages, has ${nf}`, ...at0 };
  const hs = new Set(pb.heads);
  if (hs.size !== pb.heads.length) return { invariant: 'free-list-unique', message: `pageblock ${pbi} lists a free head twice`, ...at0 };
  let mask = 0;
  for (const h of pb.heads) mask |= 1 << headOrder(pb.pages[h]);
  if ((mask & pb.orders) !== mask) return { invariant: 'free-list-orders', message: `pageblock ${pbi} order mask ${pb.orders} misses orders of its heads (${mask})`, ...at0 };
  for (let k = 0; k < pbPages; k++) {
    if (headOrder(pb.pages[k]) >= 0 !== hs.has(k)) return { invariant: 'free-list-membership', message: `page ${hex(first + k)}: head code and pageblock head list disagree`, pfn: first + k, pageblock: pbi };
  }
  if (pb.pins !== null) {
    for (const [k, n] of Object.entries(pb.pins)) {
      if (pinCount.get(first + Number(k)) !== n) return { invariant: 'pin-count', message: `page ${hex(first + Number(k))} has pin count ${n}, pin records say ${pinCount.get(first + Number(k)) ?? 0}`, pfn: first + Number(k), pageblock: pbi };
    }
  }
  const last = Math.min(first + pbPages, end);
  for (let pfn = first; pfn < last; pfn++) {
    const off = pfn - first;
    const c = pb.pages[off];
    const at = { pfn, pageblock: pbi };
    if (pinCount.has(pfn) && (pb.pins?.[String(off)] ?? 0) === 0) return { invariant: 'pin-count', message: `page ${hex(pfn)} is pinned by a record but has no pin count`, ...at };
    if (c === FREE_TAIL) {
      if (pfn >= ctx.tailUntil) return { invariant: 'free-tail-covered', message: `page ${hex(pfn)} is a free tail outside any free block`, ...at };
      // Before 6.9 (mergeRule 'keep-types') ordinary types merge without retyping; CMA and ISOLATE never do.
      const mixed = pb.mt !== ctx.tailMt && (mem.config.mergeRule === 'retype' || ctx.tailMt === '' || !mergeable(pb.mt, ctx.tailMt));
      if (mixed) return { invariant: 'free-block-one-migratetype', message: `free block spans pageblocks of ${ctx.tailMt} and ${pb.mt}`, ...at };
      continue;
    }
    if (pfn < ctx.tailUntil) return { invariant: 'one-state-per-page', message: `page ${hex(pfn)} inside a free block has code ${c}`, ...at };
    if (c < 0) {
      const o = headOrder(c);
      if (o < 0 || o > maxOrder) return { invariant: 'page-code', message: `page ${hex(pfn)} has invalid free code ${c}`, ...at };
      if (pfn % 2 ** o !== 0 || pfn + 2 ** o > end) return { invariant: 'free-block-aligned', message: `free block of order ${o} at ${hex(pfn)} is misaligned or crosses the bank end`, ...at };
      if (pinCount.has(pfn)) return { invariant: 'pinned-page-in-use', message: `free page ${hex(pfn)} is pinned`, ...at };
      ctx.tailUntil = pfn + 2 ** o;
      ctx.tailMt = pb.mt;
      continue;
    }
    const k = kindOf(c);
    if (COUNTER[k] === undefined) return { invariant: 'page-code', message: `page ${hex(pfn)} has invalid code ${c}`, ...at };
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
  return null;
}

/** Zone z's counters against the page totals, in a fixed order (the first mismatch is reported). */
function checkZone(mem: MemoryState, t: MemTotals, z: number): Violation | null {
  const zs = mem.zones[z];
  const tz = t.zones[z];
  const nO = mem.config.maxOrder + 1;
  const where = `zone ${zs.name}`;
  for (const mt of MIGRATETYPES) {
    const mi = MT_INDEX[mt];
    const f = zs.free[mi];
    if (f.nrFree !== tz.freeByMt[mi]) return { invariant: 'free-list-count', message: `${where} ${mt}: counts ${f.nrFree} free pages, pages say ${tz.freeByMt[mi]}` };
    for (let o = 0; o < nO; o++) {
      if (f.blocks[o] !== tz.blocks[mi * nO + o]) return { invariant: 'free-list-count', message: `${where} ${mt} order ${o}: counts ${f.blocks[o]} blocks, pages say ${tz.blocks[mi * nO + o]}` };
      const base = (mi * nO + o) * t.nGroups;
      for (let g = 0; g < f.groups[o].length; g++) {
        const n = g < t.nGroups ? tz.groups[base + g] : 0;
        if (f.groups[o][g] !== n) return { invariant: 'free-list-count', message: `${where} ${mt} order ${o}: group ${g} counts ${f.groups[o][g]}, pages say ${n}`, pageblock: g << GROUP_SHIFT };
      }
    }
  }
  const nf = tz.freeByMt.reduce((a, b) => a + b, 0);
  if (zs.nrFree !== nf) return { invariant: 'zone-free-count', message: `${where}: counts ${zs.nrFree} free pages, pages say ${nf}` };
  let inUse = 0;
  for (const k of COUNTER_KINDS) {
    const name = COUNTER[k];
    inUse += tz.used[k];
    if (zs.used[name] !== tz.used[k]) return { invariant: 'zone-counters', message: `${where}: counts ${zs.used[name]} ${name} pages, pages say ${tz.used[k]}` };
  }
  if (nf + inUse !== zs.spanned) return { invariant: 'pages-sum', message: `${where}: free + in use = ${nf + inUse}, spanned ${zs.spanned}` };
  if (zs.cmaPages !== tz.cma) return { invariant: 'cma-total', message: `${where}: CmaTotal ${zs.cmaPages}, CMA pageblocks hold ${tz.cma}` };
  return null;
}

/** The result of a memory check: the first violation, else the page totals of the state checked. */
export type MemoryCheck = { readonly violation: Violation; readonly totals?: undefined } | { readonly violation: null; readonly totals: MemTotals };

/** The full walk: every page of every bank, then every zone. */
export function walkMemory(mem: MemoryState): MemoryCheck {
  const pins = pinCounts(mem);
  const totals = emptyTotals(mem);
  for (const bank of mem.banks) {
    const ctx: TailCtx = { tailUntil: -1, tailMt: '' };
    const nPb = Math.ceil(bank.nrPages / 2 ** mem.config.pageblockOrder);
    for (let pbi = bank.firstPb; pbi < bank.firstPb + nPb; pbi++) {
      const v = checkPageblock(mem, pbi, bank, ctx, pins);
      if (v !== null) return { violation: v };
      addPageblock(totals, mem, pbi, mem.pageblocks[pbi], 1);
    }
  }
  if (mem.config.mergeRule === 'keep-types') fileTailsUnderHeads(totals, mem);
  for (let z = 0; z < mem.zones.length; z++) {
    const v = checkZone(mem, totals, z);
    if (v !== null) return { violation: v };
  }
  return { violation: null, totals };
}

/**
 * Before 6.9 a free block may span pageblocks of two ordinary types; the kernel files it, tails
 * and all, on its head pageblock's list. The per-pageblock sums counted each tail pageblock under
 * its own type: move those pages to the head's. (Blocks larger than a pageblock cover whole ones.)
 */
function fileTailsUnderHeads(t: MemTotals, mem: MemoryState): void {
  const { maxOrder, pageblockOrder: pbo } = mem.config;
  mem.pageblocks.forEach((pb, pbi) => {
    for (const [, o] of summaryOf(pb, maxOrder, pbo).big) {
      for (let j = pbi + 1; j < pbi + 2 ** (o - pbo); j++) {
        const tail = mem.pageblocks[j];
        const z = t.zones[tail.zone];
        if (tail.mt === pb.mt || z === undefined) continue;
        z.freeByMt[MT_INDEX[tail.mt]] -= 2 ** pbo;
        z.freeByMt[MT_INDEX[pb.mt]] += 2 ** pbo;
      }
    }
  });
}

export function checkMemoryInvariants(s: SimState | MemoryState): Violation | null {
  return walkMemory(memOf(s)).violation;
}

/**
 * The pageblocks whose checks may have changed from `a` to `b`: those replaced, those covered by
 * a free block headed in one of them, and those holding pages of pin records, allocations and
 * allocation ids that changed. Null when the step changed what every page depends on (banks,
 * configuration, owner table): then only the full walk will do.
 */
function suspects(a: MemoryState, b: MemoryState, changed: readonly number[]): number[] | null {
  if (a.config !== b.config || a.banks !== b.banks || a.pageblocks.length !== b.pageblocks.length || a.zones.length !== b.zones.length || !appendedOnly(a.owners, b.owners)) return null;
  const { pageblockOrder: pbo, maxOrder } = b.config;
  const out = new Set<number>(changed);
  const addRange = (pfn: number, n: number) => {
    for (let p = pfn - (pfn % 2 ** pbo); p < pfn + n; p += 2 ** pbo) {
      const bi = bankIndexOf(b.banks, p);
      if (bi >= 0) out.add(b.banks[bi].firstPb + ((p - b.banks[bi].startPfn) >> pbo));
    }
  };
  for (const i of changed) {
    const start = pbStartPfn(b.banks, pbo, i);
    for (const pb of [a.pageblocks[i], b.pageblocks[i]]) for (const [off, o] of summaryOf(pb, maxOrder, pbo).big) addRange(start + off, 2 ** o);
  }
  if (a.pins !== b.pins) {
    eachShardChange(a.pins, b.pins, (_k, x, y) => { for (const r of [x, y]) if (r !== undefined && r.pfn >= 0) addRange(r.pfn, 1); });
  }
  const addAlloc = (r: AllocRecord | undefined) => { if (r !== undefined) addRange(r.pfn, 2 ** r.order); };
  if (a.allocs !== b.allocs) eachShardChange(a.allocs, b.allocs, (_k, x, y) => { addAlloc(x); addAlloc(y); });
  if (a.allocIds !== b.allocIds) {
    eachShardChange(a.allocIds, b.allocIds, (_k, x, y) => {
      for (const serial of [x, y]) if (serial !== undefined) { addAlloc(shardGet(a.allocs, serial)); addAlloc(shardGet(b.allocs, serial)); }
    });
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * The memory invariants of `b`, given that `a` passed them with page totals `ta`: the same first
 * violation as the full walk of `b`, at the cost of the pageblocks the step touched.
 */
export function checkMemorySince(a: MemoryState, b: MemoryState, ta: MemTotals): MemoryCheck {
  if (a === b) return { violation: null, totals: ta };
  // A free block filed across pageblock types (before 6.9) ties a pageblock's counts to another's: walk it all.
  if (b.config.mergeRule === 'keep-types') return walkMemory(b);
  const changed = changedIndices(a.pageblocks, b.pageblocks);
  const look = suspects(a, b, changed);
  if (look === null) return walkMemory(b);
  const pins = pinCounts(b);
  for (const pbi of look) {
    const bank = bankOfPb(b.banks, pbi);
    const v = checkPageblock(b, pbi, bank, tailCtxAt(b, bank, bank.startPfn + ((pbi - bank.firstPb) << b.config.pageblockOrder)), pins);
    if (v !== null) return { violation: v };
  }
  const zones = ta.zones.slice();
  const touched = new Set<number>();
  const own = (z: number) => {
    if (touched.has(z) || zones[z] === undefined) return;
    zones[z] = cloneZone(ta.zones[z]);
    touched.add(z);
  };
  const totals: MemTotals = { zones, nGroups: ta.nGroups };
  for (const i of changed) {
    own(a.pageblocks[i].zone);
    own(b.pageblocks[i].zone);
    addPageblock(totals, b, i, a.pageblocks[i], -1);
    addPageblock(totals, b, i, b.pageblocks[i], 1);
  }
  for (let z = 0; z < b.zones.length; z++) if (a.zones[z] !== b.zones[z]) touched.add(z);
  for (const z of [...touched].sort((x, y) => x - y)) {
    const v = checkZone(b, totals, z);
    if (v !== null) return { violation: v };
  }
  return { violation: null, totals };
}

/**
 * Transition check: no page of a pageblock that was ISOLATE before and after the step went from
 * free to allocated, except by takeRange (which makes it 'taken'). Only pageblocks whose record
 * changed are looked at, so this is cheap with structural sharing.
 */
export function checkIsolateNotAllocated(prev: SimState | MemoryState, next: SimState | MemoryState): Violation | null {
  const a = memOf(prev);
  const b = memOf(next);
  for (const i of changedIndices(a.pageblocks, b.pageblocks)) {
    const x = a.pageblocks[i];
    const y = b.pageblocks[i];
    if (x === undefined || y === undefined || x.mt !== 'ISOLATE' || y.mt !== 'ISOLATE') continue;
    for (let k = 0; k < y.pages.length; k++) {
      if (x.pages[k] < 0 && y.pages[k] > 0 && kindOf(y.pages[k]) !== K_TAKEN) {
        const pfn = pbStartPfn(b.banks, b.config.pageblockOrder, i) + k;
        return { invariant: 'isolate-never-allocates', message: `page ${hex(pfn)} of isolated pageblock ${i} was allocated (${KIND_NAMES[kindOf(y.pages[k])]})`, pfn, pageblock: i };
      }
    }
  }
  return null;
}
