/**
 * The `<event>: <fields>` part of an ftrace line for each trace-equivalent event, in two kernel
 * flavours (include/trace/events/cma.h and migrate.h):
 * - `6.1`: `cma_alloc_start: name count align`; finish without errno, a failure printed as
 *   pfn=0xffffffffffffffff and a NULL page; mm_migrate_pages without nr_split.
 * - `latest`: `cma_alloc_start: name request_count available_count total_count align`; finish
 *   with `errorno`, a failure printed as pfn=0x0 and a NULL page (mm/cma.c passes
 *   `page ? page_to_pfn(page) : 0`); mm_migrate_pages with nr_split.
 */
import type { TraceEvent } from '../../events/trace.ts';

export type TraceFlavour = '6.1' | 'latest';
export const TRACE_FLAVOURS: readonly TraceFlavour[] = ['6.1', 'latest'];

const ENOMEM = -12;

/**
 * `%p` of a struct page. Pointers are hashed in real traces; a stable stand-in derived from the
 * pfn (a vmemmap-like address, 64 bytes per struct page) keeps exports byte-identical per run.
 */
export function pagePointer(pfn: number): string {
  if (pfn < 0) return '0000000000000000';
  return `fffffc${(pfn * 64).toString(16).padStart(10, '0')}`;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function failedPfn(pfn: number, flavour: TraceFlavour): string {
  if (pfn >= 0) return hex(pfn);
  return flavour === '6.1' ? '0xffffffffffffffff' : '0x0';
}

export function formatTraceEvent(e: TraceEvent, flavour: TraceFlavour): string {
  switch (e.type) {
    case 'trace.cma_alloc_start':
      return flavour === '6.1'
        ? `cma_alloc_start: name=${e.name} count=${e.count} align=${e.align}`
        : `cma_alloc_start: name=${e.name} request_count=${e.count} available_count=${e.availableCount} total_count=${e.totalCount} align=${e.align}`;
    case 'trace.cma_alloc_finish': {
      const fields = `name=${e.name} pfn=${failedPfn(e.pfn, flavour)} page=${pagePointer(e.pfn)} count=${e.count} align=${e.align}`;
      if (flavour === '6.1') return `cma_alloc_finish: ${fields}`;
      // A failure whose errno is unknown (imported from 6.1) prints cma_alloc's initial -ENOMEM.
      const errorno = e.pfn < 0 && e.errorno === 0 ? ENOMEM : e.errorno;
      return `cma_alloc_finish: ${fields} errorno=${errorno}`;
    }
    case 'trace.cma_alloc_busy_retry':
      return `cma_alloc_busy_retry: name=${e.name} pfn=${hex(e.pfn)} page=${pagePointer(e.pfn)} count=${e.count} align=${e.align}`;
    case 'trace.cma_release':
      return `cma_release: name=${e.name} pfn=${hex(e.pfn)} page=${pagePointer(e.pfn)} count=${e.count}`;
    case 'trace.mm_migrate_pages_start':
      return `mm_migrate_pages_start: mode=${e.mode} reason=${e.reason}`;
    case 'trace.mm_migrate_pages': {
      const split = flavour === 'latest' ? ` nr_split=${e.nrSplit}` : '';
      return `mm_migrate_pages: nr_succeeded=${e.nrSucceeded} nr_failed=${e.nrFailed} nr_thp_succeeded=${e.nrThpSucceeded} `
        + `nr_thp_failed=${e.nrThpFailed} nr_thp_split=${e.nrThpSplit}${split} mode=${e.mode} reason=${e.reason}`;
    }
    case 'trace.test_pages_isolated':
      return `test_pages_isolated: start_pfn=${hex(e.startPfn)} end_pfn=${hex(e.endPfn)} fin_pfn=${hex(e.finPfn)} ret=${e.ret}`;
  }
}
