/**
 * Invariants of the CMA aggregate, checkable after every event (on in tests). Each violation names
 * the invariant and the area, chunk, request or pfn concerned; the caller adds the seq.
 * `checkCmaInvariants` checks everything; `checkCmaSince` checks a state from the last one that
 * passed, re-checking only the areas, chunks, locks and requests the step replaced and the pages
 * of the pageblocks it changed, in the same order, so its first violation is the full check's.
 */
import { getAllocator } from '../cma/allocators/registry.ts';
import type { AllocatorState } from '../cma/allocators/allocator.ts';
import { ownerTag, releaseOwner, requestOwner, sameOwner } from '../cma/locks.ts';
import type { AreaState, ChunkRecord, CmaState, LockOwner } from '../cma/state.ts';
import { pbIndexIn, pbStartPfn } from '../memory/mutMemory.ts';
import { KIND_NAMES, kindOf } from '../memory/pageCode.ts';
import type { MemoryState } from '../memory/state.ts';
import type { SimState } from '../state.ts';
import { changedIndices, changedKeys } from './diff.ts';
import type { Violation } from './violation.ts';

export type CmaViolation = Violation;

const hex = (n: number): string => `0x${n.toString(16)}`;

/** What pageState(pfn).kind says, without finding the free block a free page is in. Throws outside every bank. */
function kindAt(mem: MemoryState, pfn: number): string {
  const pb = mem.pageblocks[pbIndexIn(mem.banks, mem.config.pageblockOrder, pfn)];
  return KIND_NAMES[kindOf(pb.pages[pfn & (2 ** mem.config.pageblockOrder - 1)])];
}

/**
 * Calls f(pfn) for the pfns of [s, e), stepping by `step` from s, that lie in the pageblocks
 * `only` (ascending) names, or for all of them when `only` is null; stops when f returns true.
 */
function eachPfnIn(mem: MemoryState, s: number, e: number, step: number, only: readonly number[] | null, f: (pfn: number) => boolean): void {
  if (only === null) {
    for (let pfn = s; pfn < e; pfn += step) if (f(pfn)) return;
    return;
  }
  const pbPages = 2 ** mem.config.pageblockOrder;
  for (const i of only) {
    const ps = pbStartPfn(mem.banks, mem.config.pageblockOrder, i);
    if (ps + pbPages <= s || ps >= e) continue;
    const from = Math.max(ps, s);
    for (let pfn = from + ((step - ((from - s) % step)) % step); pfn < Math.min(e, ps + pbPages); pfn += step) if (f(pfn)) return;
  }
}

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

/** Area `a`; with `only`, just its page checks, over the pageblocks `only` names (the rest held before). */
function checkArea(s: SimState, a: AreaState, out: CmaViolation[], only: readonly number[] | null = null): void {
  const cma = s.cma;
  if (only === null) {
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
  }
  const mem = s.memory;
  const pbPages = 2 ** mem.config.pageblockOrder;
  const end = a.basePfn + a.count;
  if (a.shared) {
    eachPfnIn(mem, a.basePfn, end, pbPages, only, (pfn) => {
      const mt = mem.pageblocks[pbIndexIn(mem.banks, mem.config.pageblockOrder, pfn)].mt;
      if (mt !== 'CMA' && mt !== 'ISOLATE') out.push({ invariant: 'shared-area-is-cma', message: `area '${a.name}': pageblock at ${hex(pfn)} is ${mt}`, pfn });
      return false;
    });
  } else {
    // A private area never lends pages: every page is reserved or handed out by CMA.
    eachPfnIn(mem, a.basePfn, end, 1, only, (pfn) => {
      const k = kindAt(mem, pfn);
      if (k === 'reserved' || k === 'taken') return false;
      out.push({ invariant: 'private-never-lent', message: `area '${a.name}': page ${hex(pfn)} is ${k}`, pfn });
      return true;
    });
  }
}

/** Chunk `c`; with `only`, just its pages in the pageblocks `only` names. */
function checkChunk(s: SimState, c: ChunkRecord, out: CmaViolation[], only: readonly number[] | null = null): void {
  if (only === null && c.moving !== null && c.pins > 0) out.push({ invariant: 'moving-unpinned', message: `chunk ${c.id} is moved while pinned (${c.pins})`, pfn: c.pfn });
  if (c.releasing) return;
  const spans = c.moving ? [c.pfn, c.moving.to] : [c.pfn];
  for (const base of spans) {
    eachPfnIn(s.memory, base, base + c.count, 1, only, (pfn) => {
      const k = kindAt(s.memory, pfn);
      if (k === 'taken') return false;
      out.push({ invariant: 'chunk-pages-taken', message: `chunk ${c.id}: page ${hex(pfn)} is ${k}`, pfn });
      return true;
    });
  }
}

/** Locks and the locks their owners think they hold; with `only`, just those locks and owners (by ownerTag). */
function checkLocks(cma: CmaState, out: CmaViolation[], only: { locks: ReadonlySet<string>; owners: ReadonlySet<string> } | null = null): void {
  const heldBy = (owner: LockOwner): readonly string[] | null =>
    (owner.kind === 'request' ? cma.requests[owner.id]?.held : cma.releases[owner.id]?.held) ?? null;
  for (const name of Object.keys(cma.locks)) {
    if (only !== null && !only.locks.has(name)) continue;
    const l = cma.locks[name];
    if (l.holder === null && l.waiters.length > 0) out.push({ invariant: 'lock-fifo', message: `lock ${name} is free with ${l.waiters.length} waiters` });
    if (l.waiters.some((w) => sameOwner(l.holder, w.owner))) out.push({ invariant: 'lock-fifo', message: `lock ${name}: holder ${ownerTag(l.holder!)} also waits` });
    if (new Set(l.waiters.map((w) => ownerTag(w.owner))).size !== l.waiters.length) out.push({ invariant: 'lock-fifo', message: `lock ${name}: duplicate waiters` });
    for (const w of l.waiters) {
      const h = heldBy(w.owner);
      if (h === null) out.push({ invariant: 'lock-owner', message: `lock ${name}: waiter ${ownerTag(w.owner)} does not exist` });
    }
  }
  const checkHeld = (owner: LockOwner, held: readonly string[]): void => {
    if (only !== null && !only.owners.has(ownerTag(owner))) return;
    for (const name of held) {
      const holder = cma.locks[name]?.holder ?? null;
      if (!sameOwner(holder, owner)) out.push({ invariant: 'lock-owner', message: `${ownerTag(owner)} thinks it holds ${name}, holder is ${holder ? ownerTag(holder) : 'nobody'}` });
    }
  };
  for (const id of Object.keys(cma.requests)) checkHeld(requestOwner(Number(id)), cma.requests[id].held);
  for (const id of Object.keys(cma.releases)) checkHeld(releaseOwner(Number(id)), cma.releases[id].held);
}

function checkRequest(cma: CmaState, id: string, out: CmaViolation[]): void {
  const r = cma.requests[id];
  if (r.status === 'done' && (r.pfn === null || r.errno !== 0 || r.finishedAt === null || r.held.length > 0)) {
    out.push({ invariant: 'request-terminal', message: `request ${r.id} is done but pfn=${r.pfn} errno=${r.errno} held=${r.held.join(',')}` });
  }
  if (r.status === 'failed' && (r.errno === null || r.errno >= 0 || r.held.length > 0 || r.candidate !== null)) {
    out.push({ invariant: 'request-terminal', message: `request ${r.id} failed but errno=${r.errno} held=${r.held.join(',')}` });
  }
}

/** Every CMA invariant violated by `s` (empty when all hold). */
export function checkCmaInvariants(s: SimState): CmaViolation[] {
  const out: CmaViolation[] = [];
  for (const n of s.cma.areaOrder) checkArea(s, s.cma.areas[n], out);
  for (const id of Object.keys(s.cma.chunks)) checkChunk(s, s.cma.chunks[id], out);
  checkLocks(s.cma, out);
  for (const id of Object.keys(s.cma.requests)) checkRequest(s.cma, id, out);
  return out;
}

/** Keys in the order Object.keys gives them for records keyed by integers (ascending). */
const byNumber = (xs: Iterable<string>): string[] => [...xs].sort((x, y) => Number(x) - Number(y));

/**
 * The first CMA invariant `b` violates, given that `a` satisfied them all: the first entry of
 * checkCmaInvariants(b), found by re-checking only what the step replaced.
 */
export function checkCmaSince(a: SimState, b: SimState): CmaViolation | null {
  const ca = a.cma, cb = b.cma;
  const memChanged = a.memory.pageblocks !== b.memory.pageblocks;
  if (ca === cb && !memChanged) return null;
  if (ca.areaOrder !== cb.areaOrder || a.memory.banks !== b.memory.banks || a.memory.config !== b.memory.config) return checkCmaInvariants(b)[0] ?? null;
  const pbs = memChanged ? changedIndices(a.memory.pageblocks, b.memory.pageblocks) : [];
  const out: CmaViolation[] = [];
  const chunks = changedKeys(ca.chunks, cb.chunks);
  const requests = changedKeys(ca.requests, cb.requests);
  const dirtyAreas = new Set(changedKeys(ca.areas, cb.areas));
  for (const id of chunks) for (const c of [ca.chunks[id], cb.chunks[id]]) if (c !== undefined) dirtyAreas.add(c.area);
  for (const id of requests) for (const r of [ca.requests[id], cb.requests[id]]) if (r !== undefined && r.area !== null) dirtyAreas.add(r.area);
  for (const n of cb.areaOrder) {
    if (dirtyAreas.has(n)) checkArea(b, cb.areas[n], out);
    else if (pbs.length > 0) checkArea(b, cb.areas[n], out, pbs);
    if (out.length) return out[0];
  }
  const dirtyChunks = new Set(chunks);
  for (const id of Object.keys(cb.chunks)) {
    if (dirtyChunks.has(id)) checkChunk(b, cb.chunks[id], out);
    else if (pbs.length > 0) checkChunk(b, cb.chunks[id], out, pbs);
    if (out.length) return out[0];
  }
  const releases = changedKeys(ca.releases, cb.releases);
  const locks = changedKeys(ca.locks, cb.locks);
  if (locks.length + requests.length + releases.length > 0) {
    // A waiter's owner may have come or gone: every lock then; else the locks replaced.
    const ownersCame = requests.some((id) => (ca.requests[id] === undefined) !== (cb.requests[id] === undefined))
      || releases.some((id) => (ca.releases[id] === undefined) !== (cb.releases[id] === undefined));
    const owners = new Set<string>([...requests.map((id) => ownerTag(requestOwner(Number(id)))), ...releases.map((id) => ownerTag(releaseOwner(Number(id))))]);
    for (const name of locks) for (const l of [ca.locks[name], cb.locks[name]]) if (l?.holder != null) owners.add(ownerTag(l.holder));
    checkLocks(cb, out, { locks: ownersCame ? new Set(Object.keys(cb.locks)) : new Set(locks), owners });
    if (out.length) return out[0];
  }
  for (const id of byNumber(requests)) {
    if (cb.requests[id] !== undefined) checkRequest(cb, id, out);
    if (out.length) return out[0];
  }
  return null;
}
