/**
 * The `<event>: <fields>` part of an ftrace line for each trace-equivalent event, in the format of
 * each kernel profile (include/trace/events/cma.h and migrate.h at that version):
 * - `single` (4.x-5.x): one `cma_alloc: pfn=%lx page=%p count=%u align=%u` line when cma_alloc
 *   returns (no start, no busy retry), `cma_release: pfn=%lx page=%p count=%u`; a failure prints
 *   the initial pfn -1 and a NULL page.
 * - `6.1`: `cma_alloc_start: name count align`; finish without errno, a failure printed as
 *   pfn=0xffffffffffffffff and a NULL page; mm_migrate_pages without nr_split.
 * - `errorno` (6.6, 6.12): as 6.1, finish with `errorno`; mm_migrate_pages with nr_split.
 * - `latest` (6.15+): `cma_alloc_start: name request_count available_count total_count align`;
 *   finish with `errorno`, a failure printed as pfn=0x0 and a NULL page (mm/cma.c passes
 *   `page ? page_to_pfn(page) : 0`); mm_migrate_pages with nr_split.
 */
import type { TraceEvent } from '../../events/trace.ts';
import type { TraceFormat } from '../../models/kernel/profile.ts';

export type TraceFlavour = Exclude<TraceFormat, 'none'>;
/** Every format the exporter writes (and `--trace-format` offers), oldest first. */
export const EXPORT_FORMATS: readonly TraceFlavour[] = ['single', '6.1', 'errorno', 'latest'];

/**
 * The format a run of a kernel profile exports by default: the profile's own. A kernel without
 * CMA tracepoints (the series, 3.5) gets the oldest format that has them, since an export of
 * nothing helps no one.
 */
export function exportFormatOf(f: TraceFormat): TraceFlavour {
  return f === 'none' ? EXPORT_FORMATS[0] : f;
}

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
  return flavour === 'latest' ? '0x0' : '0xffffffffffffffff';
}

/** The line's text, or null where that kernel printed no line for the event. */
export function formatTraceEvent(e: TraceEvent, flavour: TraceFlavour): string | null {
  if (flavour === 'single') return formatSingle(e);
  switch (e.type) {
    case 'trace.cma_alloc_start':
      return flavour === 'latest'
        ? `cma_alloc_start: name=${e.name} request_count=${e.count} available_count=${e.availableCount} total_count=${e.totalCount} align=${e.align}`
        : `cma_alloc_start: name=${e.name} count=${e.count} align=${e.align}`;
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
    default:
      return formatMigration(e, flavour !== '6.1');
  }
}

/** 4.x-5.x: no start or busy-retry tracepoint; cma_alloc and cma_release print `%lx` pfns without name. */
function formatSingle(e: TraceEvent): string | null {
  switch (e.type) {
    case 'trace.cma_alloc_start':
    case 'trace.cma_alloc_busy_retry':
      return null;
    case 'trace.cma_alloc_finish':
      return e.pfn < 0
        ? `cma_alloc: pfn=ffffffffffffffff page=0000000000000000 count=${e.count} align=${e.align}`
        : `cma_alloc: pfn=${e.pfn.toString(16)} page=${pagePointer(e.pfn)} count=${e.count} align=${e.align}`;
    case 'trace.cma_release':
      return `cma_release: pfn=${e.pfn.toString(16)} page=${pagePointer(e.pfn)} count=${e.count}`;
    default:
      return formatMigration(e, false);
  }
}

function formatMigration(e: Exclude<TraceEvent, { type: `trace.cma_${string}` }>, nrSplit: boolean): string {
  switch (e.type) {
    case 'trace.mm_migrate_pages_start':
      return `mm_migrate_pages_start: mode=${e.mode} reason=${e.reason}`;
    case 'trace.mm_migrate_pages': {
      const split = nrSplit ? ` nr_split=${e.nrSplit}` : '';
      return `mm_migrate_pages: nr_succeeded=${e.nrSucceeded} nr_failed=${e.nrFailed} nr_thp_succeeded=${e.nrThpSucceeded} `
        + `nr_thp_failed=${e.nrThpFailed} nr_thp_split=${e.nrThpSplit}${split} mode=${e.mode} reason=${e.reason}`;
    }
    case 'trace.test_pages_isolated':
      return `test_pages_isolated: start_pfn=${hex(e.startPfn)} end_pfn=${hex(e.endPfn)} fin_pfn=${hex(e.finPfn)} ret=${e.ret}`;
  }
}
