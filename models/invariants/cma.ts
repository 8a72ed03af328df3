/**
 * Invariants of the CMA aggregate, checkable after every event (on in tests). Each violation names
 * the invariant and the area, chunk, request or pfn concerned; the caller adds the seq.
 */
import { getAllocator } from '../cma/allocators/registry.ts';
import type { AllocatorState } from '../cma/allocators/allocator.ts';
import type { AreaState, CmaState } from '../cma/state.ts';
import { pageState } from '../memory/contig.ts';
import type { SimState } from '../state.ts';
import type { Violation } from './violation.ts';

export type CmaViolation = Violation;

const hex = (n: number): string => `0x${n.toString(16)}`;

/** [start, end) ranges the allocator of `a` must count as used: chunks, move targets, reserved candidates. */
function reservedRanges(cma: CmaState, a: AreaState): { what: string; s: number; e: number }[] {
  const out: { what: string; s: number; e: number }[] = [];
  for (const id of Object.keys(cma.chunks)) {
    const c = cma.chunks[id];
    if (c.area !== a.name) continue;
    out.push({ what: `chunk ${c.id}`, s: c.pfn, e: c.pfn + c.count });
    if (c.moving) out.push({ what: `move target of chunk ${c.id}`, s: c.moving.to, e: c.moving.to + c.count });
  }
  if (getAllocator(a.allocator).reserveAtSearch) {
    for (const id of Object.keys(cma.requests)) {
      const r = cma.requests[id];
      if (r.candidate !== null && r.area === a.name) out.push({ what: `candidate of request ${r.id}`, s: r.candidate, e: r.candidate + r.count });
    }
  }
  return out.sort((x, y) => x.s - y.s);
}

function checkArea(s: SimState, a: AreaState, out: CmaViolation[]): void {
  const cma = s.cma;
  const ranges = reservedRanges(cma, a);
  const al = getAllocator(a.allocator);
  const free = al.freeRuns(a.alloc as AllocatorState, { name: a.name, basePfn: a.basePfn, count: a.count, orderPerBit: a.orderPerBit });
  let reserved = 0;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i];
    reserved += r.e - r.s;
    if (r.s < a.basePfn || r.e > a.basePfn + a.count) out.push({ invariant: 'range-in-area', message: `${r.what} [${hex(r.s)}, ${hex(r.e)}) is outside area '${a.name}'`, pfn: r.s });
    if (i > 0 && ranges[i - 1].e > r.s) out.push({ invariant: 'ranges-disjoint', message: `${ranges[i - 1].what} and ${r.what} overlap in area '${a.name}'`, pfn: r.s });
    for (let k = 0; k < free.length; k += 2) {
      if (free[k] < r.e && r.s < free[k + 1]) out.push({ invariant: 'allocator-accounts-ranges', message: `${r.what} is free in the allocator of area '${a.name}'`, pfn: Math.max(r.s, free[k]) });
    }
  }
  if (a.available !== a.count - reserved) {
    out.push({ invariant: 'available-count', message: `area '${a.name}': available ${a.available}, expected ${a.count - reserved} (count ${a.count} - reserved ${reserved})` });
  }
  const pbPages = 2 ** s.memory.config.pageblockOrder;
  for (let pfn = a.basePfn; pfn < a.basePfn + a.count; pfn += pbPages) {
    const mt = pageState(s, pfn).migratetype;
    if (a.shared && mt !== 'CMA' && mt !== 'ISOLATE') out.push({ invariant: 'shared-area-is-cma', message: `area '${a.name}': pageblock at ${hex(pfn)} is ${mt}`, pfn });
  }
  if (!a.shared) {
    // A private area never lends pages: every page is reserved or handed out by CMA.
    for (let pfn = a.basePfn; pfn < a.basePfn + a.count; pfn++) {
      const k = pageState(s, pfn).kind;
      if (k !== 'reserved' && k !== 'taken') { out.push({ invariant: 'private-never-lent', message: `area '${a.name}': page ${hex(pfn)} is ${k}`, pfn }); break; }
    }
  }
}

function checkChunks(s: SimState, out: CmaViolation[]): void {
  for (const id of Object.keys(s.cma.chunks)) {
    const c = s.cma.chunks[id];
    if (c.moving !== null && c.pins > 0) out.push({ invariant: 'moving-unpinned', message: `chunk ${c.id} is moved while pinned (${c.pins})`, pfn: c.pfn });
    if (c.releasing) continue;
    const spans = c.moving ? [c.pfn, c.moving.to] : [c.pfn];
    for (const base of spans) {
      for (let pfn = base; pfn < base + c.count; pfn++) {
        const k = pageState(s, pfn).kind;
        if (k !== 'taken') { out.push({ invariant: 'chunk-pages-taken', message: `chunk ${c.id}: page ${hex(pfn)} is ${k}`, pfn }); break; }
      }
    }
  }
}

function checkLocks(cma: CmaState, out: CmaViolation[]): void {
  const heldBy = (owner: string): readonly string[] | null => {
    const id = owner.slice(1);
    if (owner[0] === 'a') return cma.requests[id]?.held ?? null;
    if (owner[0] === 'r') return cma.releases[id]?.held ?? null;
    return null;
  };
  for (const name of Object.keys(cma.locks)) {
    const l = cma.locks[name];
    if (l.holder === null && l.waiters.length > 0) out.push({ invariant: 'lock-fifo', message: `lock ${name} is free with ${l.waiters.length} waiters` });
    if (l.waiters.some((w) => w.owner === l.holder)) out.push({ invariant: 'lock-fifo', message: `lock ${name}: holder ${l.holder} also waits` });
    if (new Set(l.waiters.map((w) => w.owner)).size !== l.waiters.length) out.push({ invariant: 'lock-fifo', message: `lock ${name}: duplicate waiters` });
    for (const w of l.waiters) {
      const h = heldBy(w.owner);
      if (h === null) out.push({ invariant: 'lock-owner', message: `lock ${name}: waiter ${w.owner} does not exist` });
    }
  }
  const checkHeld = (owner: string, held: readonly string[]): void => {
    for (const name of held) {
      if (cma.locks[name]?.holder !== owner) out.push({ invariant: 'lock-owner', message: `${owner} thinks it holds ${name}, holder is ${cma.locks[name]?.holder ?? 'nobody'}` });
    }
  };
  for (const id of Object.keys(cma.requests)) checkHeld(`a${id}`, cma.requests[id].held);
  for (const id of Object.keys(cma.releases)) checkHeld(`r${id}`, cma.releases[id].held);
}

function checkRequests(cma: CmaState, out: CmaViolation[]): void {
  for (const id of Object.keys(cma.requests)) {
    const r = cma.requests[id];
    if (r.status === 'done' && (r.pfn === null || r.errno !== 0 || r.finishedAt === null || r.held.length > 0)) {
      out.push({ invariant: 'request-terminal', message: `request ${r.id} is done but pfn=${r.pfn} errno=${r.errno} held=${r.held.join(',')}` });
    }
    if (r.status === 'failed' && (r.errno === null || r.errno >= 0 || r.held.length > 0 || r.candidate !== null)) {
      out.push({ invariant: 'request-terminal', message: `request ${r.id} failed but errno=${r.errno} held=${r.held.join(',')}` });
    }
  }
}

/** Every CMA invariant violated by `s` (empty when all hold). */
export function checkCmaInvariants(s: SimState): CmaViolation[] {
  const out: CmaViolation[] = [];
  for (const n of s.cma.areaOrder) checkArea(s, s.cma.areas[n], out);
  checkChunks(s, out);
  checkLocks(s.cma, out);
  checkRequests(s.cma, out);
  return out;
}
