import { expect } from 'chai';
import type { TraceEvent } from '../../../events/trace.ts';
import { formatTraceEvent, pagePointer } from '../../../lib/trace/formatTraceEvent.ts';

const task = { comm: 'cam', pid: 5, cpu: 0 };

describe('formatTraceEvent', () => {
  // Field lists of include/trace/events/cma.h in 6.1 and today (reference §5).
  const cases: [TraceEvent, string, string][] = [
    [{ type: 'trace.cma_alloc_start', task, name: 'r', count: 8, align: 3, availableCount: 100, totalCount: 256, request: 1 },
      'cma_alloc_start: name=r count=8 align=3',
      'cma_alloc_start: name=r request_count=8 available_count=100 total_count=256 align=3'],
    [{ type: 'trace.cma_alloc_finish', task, name: 'r', pfn: 0x10, count: 8, align: 3, errorno: 0, request: 1 },
      `cma_alloc_finish: name=r pfn=0x10 page=${pagePointer(0x10)} count=8 align=3`,
      `cma_alloc_finish: name=r pfn=0x10 page=${pagePointer(0x10)} count=8 align=3 errorno=0`],
    [{ type: 'trace.cma_alloc_finish', task, name: 'r', pfn: -1, count: 8, align: 3, errorno: -16, request: 1 },
      'cma_alloc_finish: name=r pfn=0xffffffffffffffff page=0000000000000000 count=8 align=3',
      'cma_alloc_finish: name=r pfn=0x0 page=0000000000000000 count=8 align=3 errorno=-16'],
    [{ type: 'trace.cma_alloc_busy_retry', task, name: 'r', pfn: 0x18, count: 8, align: 3, request: 1 },
      `cma_alloc_busy_retry: name=r pfn=0x18 page=${pagePointer(0x18)} count=8 align=3`,
      `cma_alloc_busy_retry: name=r pfn=0x18 page=${pagePointer(0x18)} count=8 align=3`],
    [{ type: 'trace.cma_release', task, name: 'r', pfn: 0x10, count: 8 },
      `cma_release: name=r pfn=0x10 page=${pagePointer(0x10)} count=8`, `cma_release: name=r pfn=0x10 page=${pagePointer(0x10)} count=8`],
    [{ type: 'trace.mm_migrate_pages', task, nrSucceeded: 32, nrFailed: 1, nrThpSucceeded: 0, nrThpFailed: 0, nrThpSplit: 0, nrSplit: 2, mode: 'MIGRATE_SYNC', reason: 'contig_range' },
      'mm_migrate_pages: nr_succeeded=32 nr_failed=1 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_SYNC reason=contig_range',
      'mm_migrate_pages: nr_succeeded=32 nr_failed=1 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=2 mode=MIGRATE_SYNC reason=contig_range'],
    [{ type: 'trace.test_pages_isolated', task, startPfn: 0x10, endPfn: 0x18, finPfn: 0x14, ret: 'fail' },
      'test_pages_isolated: start_pfn=0x10 end_pfn=0x18 fin_pfn=0x14 ret=fail', 'test_pages_isolated: start_pfn=0x10 end_pfn=0x18 fin_pfn=0x14 ret=fail'],
  ];
  for (const [e, six, latest] of cases) {
    it(`${e.type.slice(6)}${'pfn' in e && e.pfn < 0 ? ' (failure)' : ''} in both flavours`, () => {
      expect(formatTraceEvent(e, '6.1')).to.equal(six);
      expect(formatTraceEvent(e, 'latest')).to.equal(latest);
    });
  }

  it("a failure whose errno is unknown (imported from 6.1) prints cma_alloc's initial -ENOMEM", () => {
    const e: TraceEvent = { type: 'trace.cma_alloc_finish', task, name: 'r', pfn: -1, count: 8, align: 3, errorno: 0, request: 1 };
    expect(formatTraceEvent(e, 'latest')).to.match(/errorno=-12$/);
  });

  it('stands in a stable 16-digit pointer for %p', () => {
    expect(pagePointer(0xac800)).to.equal('fffffc0002b20000'); // 64-byte struct page per pfn
    expect(pagePointer(-1)).to.equal('0000000000000000');
  });
});
