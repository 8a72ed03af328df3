/**
 * The one module that reads the simulator's state shapes (models/cma, models/memory): it turns a
 * SimState into the plain numbers RunData holds. When those shapes change, only this file moves.
 */
import { getAllocator } from '../../models/cma/allocators/registry.ts';
import type { RequestRecord } from '../../models/cma/request.ts';
import { reportedRecord } from '../../models/cma/request/status.ts';
import type { AreaState, CmaRequest } from '../../models/cma/state.ts';
import { K_PAGECACHE, K_RESERVED, K_TAKEN, kindOf } from '../../models/memory/pageCode.ts';
import type { MemoryState, PageblockState as MemPageblock } from '../../models/memory/state.ts';
import type { SimState } from '../../models/state.ts';
import { PAGEBLOCK_CODES, type AreaInfo, type AreaSample, type ReportRequest } from './runData.ts';

function areasOf(s: SimState): AreaState[] {
  return s.cma.areaOrder.map((n) => s.cma.areas[n]);
}

export function probeAreas(s: SimState): AreaInfo[] {
  const pbPages = 2 ** s.memory.config.pageblockOrder;
  return areasOf(s).map((a) => ({ name: a.name, basePfn: a.basePfn, pages: a.count, pageblockPages: pbPages }));
}

/** Flat [start, end) pfn runs the area's allocator could still hand out. */
function freeRuns(a: AreaState): number[] {
  const geo = { name: a.name, basePfn: a.basePfn, count: a.count, orderPerBit: a.orderPerBit };
  const runs = getAllocator(a.allocator).freeRuns(a.alloc, geo);
  // A granule may run past the area's end; clip so pages are never over-counted.
  return runs.map((p) => Math.min(Math.max(p, a.basePfn), a.basePfn + a.count));
}

/** Pageblock (index into memory.pageblocks) holding pfn; banks are pageblock-aligned. */
function pageblockIndex(m: MemoryState, pfn: number): number {
  const b = m.banks.find((x) => x.startPfn <= pfn && pfn < x.startPfn + x.nrPages);
  if (!b) throw new Error(`report: pfn 0x${pfn.toString(16)} is in no memory bank`);
  return b.firstPb + Math.floor((pfn - b.startPfn) / 2 ** m.config.pageblockOrder);
}

interface BlockCount { readonly pagecache: number; readonly borrowed: number; readonly buddyFree: number }

function countBlock(pb: MemPageblock): BlockCount {
  let pagecache = 0, borrowed = 0, buddyFree = 0;
  for (const c of pb.pages) {
    if (c < 0) { buddyFree++; continue; }
    const k = kindOf(c);
    if (k === K_PAGECACHE) pagecache++;
    if (k !== K_TAKEN && k !== K_RESERVED) borrowed++;
  }
  return { pagecache, borrowed, buddyFree };
}

/** Pages of [s, e) covered by the flat runs. */
function overlap(runs: readonly number[], s: number, e: number): number {
  let n = 0;
  for (let i = 0; i < runs.length; i += 2) n += Math.max(0, Math.min(e, runs[i + 1]) - Math.max(s, runs[i]));
  return n;
}

export interface AreaProbe {
  readonly sample: AreaSample;
  /** PAGEBLOCK_CODES string, one character per pageblock of the area. */
  readonly blocks: string;
}

/** Numbers and pageblock map of one area (see AreaSample and PAGEBLOCK_CODES for meanings). */
export function probeArea(s: SimState, a: AreaState): AreaProbe {
  const m = s.memory;
  const pbPages = 2 ** m.config.pageblockOrder;
  const runs = freeRuns(a);
  let free = 0, largestFree = 0, pagecache = 0, buddyFree = 0;
  for (let i = 0; i < runs.length; i += 2) { free += runs[i + 1] - runs[i]; largestFree = Math.max(largestFree, runs[i + 1] - runs[i]); }
  let blocks = '';
  for (let pfn = a.basePfn; pfn < a.basePfn + a.count; pfn += pbPages) {
    const pb = m.pageblocks[pageblockIndex(m, pfn)];
    const c = countBlock(pb);
    pagecache += c.pagecache;
    buddyFree += c.buddyFree;
    const allocated = pbPages - overlap(runs, pfn, pfn + pbPages);
    blocks += pb.mt === 'ISOLATE' ? PAGEBLOCK_CODES.isolated
      : allocated === pbPages ? PAGEBLOCK_CODES.allocated
      : allocated > 0 ? PAGEBLOCK_CODES.mixed
      : pb.pins !== null && Object.keys(pb.pins).length > 0 ? PAGEBLOCK_CODES.pinned
      : c.borrowed > 0 ? PAGEBLOCK_CODES.cache
      : PAGEBLOCK_CODES.free;
  }
  return { sample: { allocated: a.count - a.available, free, largestFree, buddyFree, pagecache }, blocks };
}

export function probeAllAreas(s: SimState): AreaProbe[] {
  return areasOf(s).map((a) => probeArea(s, a));
}

/** Pages migrated since boot. */
export function probeMigrated(s: SimState): number {
  return s.memory.stats.migrated;
}

const RECORD_KEYS = ['id', 'requester', 'pid', 'kind', 'areas', 'area', 'count', 'align', 'status', 'submittedAt', 'finishedAt',
  'phases', 'attempts', 'retries', 'pfn', 'errno', 'lockMode'] as const satisfies readonly (keyof RequestRecord)[];

/**
 * The report-facing part of every request (the working fields of CmaRequest are dropped), by id.
 * A `spans` array of PhaseSpan on the record, if the model keeps one, is passed through.
 */
export function probeRequests(s: SimState): ReportRequest[] {
  const all: CmaRequest[] = Object.values(s.cma.requests);
  return all.sort((x, y) => x.id - y.id).map((r) => {
    const rec = reportedRecord(r);
    const out = Object.fromEntries(RECORD_KEYS.map((k) => [k, rec[k]])) as unknown as RequestRecord;
    const spans = (r as { spans?: unknown }).spans;
    return Array.isArray(spans) ? { ...out, spans: spans as ReportRequest['spans'] } : out;
  });
}

export function probeLockMode(s: SimState): string {
  return s.cma.lockMode;
}
