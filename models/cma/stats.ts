/**
 * The kernel's CMA statistics as pure reads of a state (reference §6), so they can be asked at any
 * seq through the history: sysfs /sys/kernel/mm/cma/<name>/, debugfs /sys/kernel/debug/cma/<name>/,
 * and the CMA lines of /proc/meminfo.
 */
import { cmaFreePages } from '../mm/contig.ts';
import type { SimState } from '../state.ts';
import type { AllocatorState } from './allocators/allocator.ts';
import { allocatorOf, geoOf } from './access.ts';
import type { AreaState, CmaState } from './state.ts';

export interface CmaSysfs {
  readonly alloc_pages_success: number;
  readonly alloc_pages_fail: number;
  readonly release_pages_success: number;
  readonly total_pages: number;
  readonly available_pages: number;
}

export interface CmaDebugfs {
  readonly base_pfn: number;
  readonly count: number;
  readonly order_per_bit: number;
  /** bitmap_weight << order_per_bit up to 6.14; count − available_count from 6.15 (mm/cma_debug.c cma_used_get). */
  readonly used: number;
  /** Largest free run, pages. */
  readonly maxchunk: number;
  /** The bitmap as u32 words. */
  readonly bitmap: readonly number[];
}

function areaIn(cma: CmaState, name: string): AreaState {
  const a = cma.areas[name];
  if (!a) throw new Error(`cma: no area '${name}' (areas: ${cma.areaOrder.join(', ')})`);
  return a;
}

/** The files the kernel profile's /sys/kernel/mm/cma/<name>/ has (none before 5.14), with their values. */
export function sysfsOf(cma: CmaState, name: string): Partial<CmaSysfs> {
  const a = areaIn(cma, name);
  const all: CmaSysfs = {
    alloc_pages_success: a.counters.allocPagesSuccess,
    alloc_pages_fail: a.counters.allocPagesFail,
    release_pages_success: a.counters.releasePagesSuccess,
    total_pages: a.count,
    available_pages: a.available,
  };
  const out: Partial<Record<keyof CmaSysfs, number>> = {};
  for (const f of cma.kernel.sysfsFiles) out[f] = all[f];
  return out;
}

export function debugfsOf(cma: CmaState, name: string): CmaDebugfs {
  const a = areaIn(cma, name);
  const al = allocatorOf(a);
  const s = a.alloc as AllocatorState;
  const geo = geoOf(a);
  const runs = al.freeRuns(s, geo);
  let maxchunk = 0;
  for (let i = 0; i < runs.length; i += 2) maxchunk = Math.max(maxchunk, runs[i + 1] - runs[i]);
  return {
    base_pfn: a.basePfn, count: a.count, order_per_bit: a.orderPerBit, maxchunk,
    used: cma.kernel.debugfsUsed === 'count-minus-available' ? a.count - a.available : al.usedPages(s, geo),
    bitmap: al.bitmapWords(s, geo),
  };
}

/** debugfs prints the bitmap with debugfs_create_u32_array: words separated by spaces. */
export function formatBitmap(words: readonly number[]): string {
  return `${words.join(' ')}\n`;
}

/**
 * /proc/meminfo in kB. CmaTotal is totalcma_pages over the shared areas (private contexts are
 * reserved memory, not MIGRATE_CMA); CmaFree is the zones' free pages in CMA pageblocks.
 */
export function meminfoCma(s: SimState): { CmaTotal: number; CmaFree: number } {
  const kb = s.memory.config.pageSize / 1024;
  let total = 0;
  for (const n of s.cma.areaOrder) if (s.cma.areas[n].shared) total += s.cma.areas[n].count;
  return { CmaTotal: total * kb, CmaFree: cmaFreePages(s) * kb };
}
