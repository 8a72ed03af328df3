import { expect } from 'chai';
import type { TraceEvent } from '../../../events/trace.ts';
import { pairRequests, type ImportedEvent } from '../../../lib/trace/pairRequests.ts';

const a = { comm: 'a', pid: 1, cpu: 0 };
const b = { comm: 'b', pid: 2, cpu: 1 };
const opts = { file: 'f', lossy: false, allowUnfinished: false, single: false };
let line = 0;
const ev = (time: number, event: TraceEvent): ImportedEvent => ({ line: ++line, time, event, missing: [] });
const start = (task: typeof a, time: number, count: number): ImportedEvent =>
  ev(time, { type: 'trace.cma_alloc_start', task, name: 'r', count, align: 0, availableCount: 0, totalCount: 0, request: 0 });
const finish = (task: typeof a, time: number, count: number, pfn: number): ImportedEvent =>
  ev(time, { type: 'trace.cma_alloc_finish', task, name: 'r', pfn, count, align: 0, errorno: 0, request: 0 });
const migStart = (task: typeof a, time: number): ImportedEvent =>
  ev(time, { type: 'trace.mm_migrate_pages_start', task, mode: 'MIGRATE_SYNC', reason: 'contig_range' });
const mig = (task: typeof a, time: number, n: number, reason: 'contig_range' | 'compaction' = 'contig_range'): ImportedEvent =>
  ev(time, { type: 'trace.mm_migrate_pages', task, nrSucceeded: n, nrFailed: 0, nrThpSucceeded: 0, nrThpFailed: 0, nrThpSplit: 0, nrSplit: 0, mode: 'MIGRATE_SYNC', reason });

describe('pairRequests', () => {
  it('pairs interleaved requests of two tasks by task, attributing each task\'s migrations to its own request', () => {
    // mm/cma.c traces start, migration and finish in the calling task: concurrent requests interleave.
    const events = [
      start(a, 100, 8), start(b, 150, 4), migStart(a, 200), mig(a, 300, 5), migStart(b, 310), mig(b, 320, 2),
      mig(b, 330, 1, 'compaction'), finish(b, 400, 4, 0x20), finish(a, 500, 8, 0x10), mig(a, 600, 9, 'compaction'),
    ];
    const r = pairRequests(events, [{ line: 0, time: 0, text: 'phase one | MemFree:1' }], opts);
    expect(r.requests.map((q) => [q.comm, q.start, q.end, q.pfn, q.migrated, q.migrateCalls, q.phase])).to.deep.equal([
      ['a', 100, 500, 0x10, 5, 1, 'phase one'], ['b', 150, 400, 0x20, 3, 2, 'phase one'],
    ]);
    expect(r.requests[0].phases).to.deep.equal({ isolate: 100, migrate: 100, finish: 200 });
    expect(r.migrationsOutside).to.equal(1);
  });

  it('a second start of a busy task is an error naming both lines', () => {
    line = 0;
    expect(() => pairRequests([start(a, 1, 2), start(a, 2, 2)], [], opts))
      .to.throw('f:2: cma_alloc_start of a-1 while its cma_alloc_start of line 1 has no cma_alloc_finish');
  });
});
