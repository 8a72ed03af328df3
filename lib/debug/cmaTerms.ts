/**
 * The debugger's words for a CMA run: pfns in hex as the kernel prints them, pfn runs, an area's
 * used ranges, page kinds, request outcomes. Everything reads the state through the models' read
 * helpers (pageState, pageblockOf, the area's allocator), never through page codes.
 */
import { getAllocator } from '../../models/cma/allocators/registry.ts';
import { ownerTag } from '../../models/cma/locks.ts';
import { errnoName } from '../../models/cma/request.ts';
import { reportedStatus } from '../../models/cma/request/status.ts';
import type { AreaState, CmaRequest } from '../../models/cma/state.ts';
import type { PageInfo } from '../../models/mm/contig.ts';
import { pageblockRange, pageState } from '../../models/memory/queries.ts';
import type { SimState } from '../../models/state.ts';

export const hex = (n: number): string => `0x${n.toString(16)}`;

/** Flat [start, end) runs as `0x41000-0x410ff, 0x41200` (inclusive ends, as the kernel's ranges read). */
export function fmtRuns(runs: readonly number[], max = 6): string {
  const parts: string[] = [];
  for (let i = 0; i < runs.length && parts.length < max; i += 2) parts.push(runs[i + 1] - runs[i] === 1 ? hex(runs[i]) : `${hex(runs[i])}-${hex(runs[i + 1] - 1)}`);
  const more = runs.length / 2 - parts.length;
  return parts.join(', ') + (more > 0 ? `, ... ${more} more run(s)` : '');
}

/** Sorted pfns as flat [start, end) runs. */
export function runsOf(pfns: readonly number[]): number[] {
  const out: number[] = [];
  for (const p of pfns) {
    if (out.length && out[out.length - 1] === p) out[out.length - 1] = p + 1;
    else out.push(p, p + 1);
  }
  return out;
}

/** Pages in flat runs. */
export const runPages = (runs: readonly number[]): number => {
  let n = 0;
  for (let i = 0; i < runs.length; i += 2) n += runs[i + 1] - runs[i];
  return n;
};

/** Runs of `a` not covered by `b` (both flat, sorted, disjoint). */
export function runsMinus(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i];
    const e = a[i + 1];
    while (j < b.length && b[j + 1] <= s) j += 2;
    let k = j;
    while (k < b.length && b[k] < e) {
      if (b[k] > s) out.push(s, b[k]);
      s = Math.max(s, b[k + 1]);
      k += 2;
    }
    if (s < e) out.push(s, e);
  }
  return out;
}

/** The area's allocated ranges (absolute pfns), from its allocator's free runs. */
export function usedRuns(a: AreaState): number[] {
  const free = getAllocator(a.allocator).freeRuns(a.alloc, a);
  return runsMinus([a.basePfn, a.basePfn + a.count], free);
}

/** A page's state in one phrase: `page cache (dirty)`, `free (order-3 block at 0x41000)`, `taken by camera`. */
export function pagePhrase(p: PageInfo): string {
  if (p.kind === 'free') return `free (order-${p.freeOrder} block at ${hex(p.freeHead!)})`;
  if (p.kind === 'pagecache') return `page cache${p.dirty ? ', dirty' : ''}${p.writeback ? ', under writeback' : ''}`;
  return `${p.kind}${p.owner ? ` (${p.owner})` : ''}`;
}

/** Short kind of a page for grouping changes: free, pagecache, anon, taken, ... with a pin mark. */
const kindKey = (p: PageInfo): string => `${p.kind}${p.kind === 'pagecache' && p.dirty ? ' (dirty)' : ''}`;

/** How a request ended or stands, in words. */
export function requestOutcome(r: CmaRequest): string {
  if (r.status === 'done') return `got ${hex(r.pfn!)}-${hex(r.pfn! + r.count - 1)} in ${r.area}${r.retries ? ` after ${r.retries} busy retr${r.retries === 1 ? 'y' : 'ies'}` : ''}`;
  if (r.status === 'failed') return `failed ${r.errno !== null ? errnoName(r.errno) : ''}${r.retries ? ` after ${r.retries} busy retr${r.retries === 1 ? 'y' : 'ies'}` : ''}`.trim();
  return `${reportedStatus(r.status)}${r.candidate !== null ? ` on ${hex(r.candidate)}-${hex(r.candidate + r.count - 1)}` : ''}`;
}

/** Indices of pageblocks whose record differs between two states of the same run (immer shares the rest). */
function changedPageblocks(a: SimState, b: SimState): number[] {
  const pa = a.memory.pageblocks, pb = b.memory.pageblocks;
  if (pa === pb) return [];
  const out: number[] = [];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if (pa[i] !== pb[i]) out.push(i);
  return out;
}

/**
 * What changed between two states, by area (pages used, ranges taken and freed), pageblock
 * migratetype, page state (grouped as `page cache -> taken: 256 pages in 0x41000-0x410ff`) and
 * request (status and outcome), with counts and pfn ranges instead of raw codes.
 */
export function cmaDiff(a: SimState, b: SimState): string {
  const out: string[] = [];
  for (const name of b.cma.areaOrder) {
    const x = a.cma.areas[name], y = b.cma.areas[name];
    if (!x || !y || x === y) continue;
    const ux = usedRuns(x), uy = usedRuns(y);
    const taken = runsMinus(uy, ux), freed = runsMinus(ux, uy);
    const bits = [`available ${x.available} -> ${y.available} pages`];
    if (taken.length) bits.push(`reserved ${runPages(taken)} (${fmtRuns(taken)})`);
    if (freed.length) bits.push(`freed ${runPages(freed)} (${fmtRuns(freed)})`);
    if (x.available !== y.available || taken.length || freed.length) out.push(`  area ${name}: ${bits.join('; ')}`);
  }
  const pbs = changedPageblocks(a, b);
  const mts = new Map<string, number[]>();
  const pages = new Map<string, number[]>();
  const pins = new Map<string, number[]>();
  for (const i of pbs) {
    const { startPfn, endPfn } = pageblockRange(b, i);
    const x = a.memory.pageblocks[i], y = b.memory.pageblocks[i];
    if (x && y && x.mt !== y.mt) { const k = `${x.mt} -> ${y.mt}`; (mts.get(k) ?? mts.set(k, []).get(k)!).push(startPfn); }
    if (x && y && x.pages === y.pages && x.pins === y.pins) continue;
    for (let pfn = startPfn; pfn < endPfn; pfn++) {
      const off = pfn - startPfn;
      if (x && y && x.pages[off] === y.pages[off] && (x.pins?.[off] ?? 0) === (y.pins?.[off] ?? 0)) continue;
      const p = pageState(a, pfn), q = pageState(b, pfn);
      const kp = kindKey(p), kq = kindKey(q);
      if (kp !== kq || p.owner !== q.owner) { const k = `${kp} -> ${kq}${q.owner && q.kind !== 'pagecache' && p.owner !== q.owner ? ` (${q.owner})` : ''}`; (pages.get(k) ?? pages.set(k, []).get(k)!).push(pfn); }
      if (p.pins !== q.pins) { const k = `pins ${p.pins} -> ${q.pins}`; (pins.get(k) ?? pins.set(k, []).get(k)!).push(pfn); }
    }
  }
  const pbPages = 2 ** b.memory.config.pageblockOrder;
  for (const [k, starts] of mts) {
    const runs: number[] = [];
    for (const s of starts) { if (runs.length && runs[runs.length - 1] === s) runs[runs.length - 1] = s + pbPages; else runs.push(s, s + pbPages); }
    out.push(`  pageblocks ${k}: ${starts.length} (${fmtRuns(runs)})`);
  }
  for (const [k, pfns] of [...pages].sort((p, q) => q[1].length - p[1].length)) out.push(`  pages ${k}: ${pfns.length} (${fmtRuns(runsOf(pfns))})`);
  for (const [k, pfns] of pins) out.push(`  ${k}: ${pfns.length} page(s) (${fmtRuns(runsOf(pfns))})`);
  for (const id of Object.keys(b.cma.requests)) {
    const x = Object.hasOwn(a.cma.requests, id) ? a.cma.requests[id] : undefined, y = b.cma.requests[id];
    if (x === y) continue;
    const was = x ? requestOutcome(x) : 'not submitted';
    const now = requestOutcome(y);
    if (was !== now || x?.attempts.length !== y.attempts.length) out.push(`  request ${id} (${y.requester}, ${y.count} pages): ${was} -> ${now}${x && x.attempts.length !== y.attempts.length ? `; attempts ${x.attempts.length} -> ${y.attempts.length}` : ''}`);
  }
  for (const id of Object.keys(a.cma.chunks)) if (!Object.hasOwn(b.cma.chunks, id)) out.push(`  chunk ${id} released (${hex(a.cma.chunks[id].pfn)}+${a.cma.chunks[id].count}, ${a.cma.chunks[id].owner})`);
  for (const id of Object.keys(b.cma.chunks)) if (!Object.hasOwn(a.cma.chunks, id)) out.push(`  chunk ${id} handed out (${hex(b.cma.chunks[id].pfn)}+${b.cma.chunks[id].count}, ${b.cma.chunks[id].owner})`);
  const held = (s: SimState): string => Object.entries(s.cma.locks).filter(([, l]) => l.holder !== null).map(([n, l]) => `${n} by ${ownerTag(l.holder!)}`).join(', ') || 'none';
  if (held(a) !== held(b)) out.push(`  locks held: ${held(a)} -> ${held(b)}`);
  return out.join('\n');
}

/** Requests named one by one in an outcome; beyond this, counted. */
const NAMED_REQUESTS = 4;

/**
 * A final state in words, as the explorer names outcomes: which requests got which ranges and
 * which failed and why; with many requests, how many ended each way.
 */
export function cmaOutcome(s: SimState): string {
  const reqs = Object.values(s.cma.requests);
  const live = Object.keys(s.cma.releases).length;
  const tail = live ? `; ${live} release(s) in flight` : '';
  if (reqs.length === 0) return `no requests${tail}`;
  if (reqs.length <= NAMED_REQUESTS) return reqs.map((r) => `request ${r.id} ${requestOutcome(r)}`).join('; ') + tail;
  const by = new Map<string, number>();
  for (const r of reqs) {
    const k = r.status === 'failed' ? `failed ${r.errno !== null ? errnoName(r.errno) : ''}`.trim() : r.status === 'done' ? (r.retries ? 'done after busy retries' : 'done') : 'in flight';
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return `${reqs.length} requests: ${[...by].map(([k, n]) => `${n} ${k}`).join(', ')}${tail}`;
}
