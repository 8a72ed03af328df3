import { expect } from 'chai';
import type { TraceEvent, TraceTask } from '../../../events/trace.ts';
import { exportTrace, formatTraceLine, formatTimestamp, traceEventsOf, type TimedTraceEvent } from '../../../lib/trace/exportTrace.ts';
import { importTrace } from '../../../lib/trace/importTrace.ts';
import type { TraceRequest } from '../../../lib/trace/traceRequest.ts';
import { compareRuns } from '../../../lib/trace/compareRuns.ts';
import { traceAreasOf } from '../../../lib/trace/traceAreas.ts';
import { REAL_TRACES, realTrace, fixtureText } from './fixtures.ts';
import { injectRealTrace } from './modelRun.ts';

/** The imported events that the simulator can emit too (all but the pre-5.10 single event). */
function timedEvents(name: string): TimedTraceEvent[] {
  return realTrace(name).events.flatMap((e) => (e.event.type === 'trace.cma_alloc' ? [] : [{ time: e.time, event: e.event }]));
}

/** What a request sequence is, independent of the line numbers of the file it came from. */
const sequence = (rs: readonly TraceRequest[]): unknown[] => rs.map(({ startLine, endLine, ...r }) => r);

describe('exportTrace', () => {
  it('prints timestamps as the kernel does: seconds padded to 5, microseconds truncated', () => {
    expect(formatTimestamp(1_795_286_999)).to.equal('    1.795286');
    expect(formatTimestamp(123_456_000_000_000)).to.equal('123456.000000');
  });

  it('6.1 flavour reproduces the real 6.1 lines byte for byte, but for hashed pointers and flags', () => {
    const lines = fixtureText('smoke-3g-misaligned', 'trace.txt').split('\n');
    const events = realTrace('smoke-3g-misaligned').events;
    expect(events.length).to.be.above(40);
    for (const e of events) {
      if (e.event.type === 'trace.cma_alloc') continue;
      const real = lines[e.line - 1].replace(/page=[0-9a-f]+/, 'page=P').replace(/\] \S{5} /, '] ..... ');
      expect(formatTraceLine(e.time, e.event, '6.1')!.replace(/page=[0-9a-f]+/, 'page=P'), `line ${e.line}`).to.equal(real);
    }
  });

  for (const name of REAL_TRACES) {
    for (const flavour of ['6.1', 'latest'] as const) {
      it(`round trip: ${name} exported as ${flavour} imports back to the same request sequence`, () => {
        const original = realTrace(name);
        const back = importTrace(exportTrace(timedEvents(name), { flavour }), { file: 'export' });
        expect(back.generation).to.equal(flavour);
        const expected = sequence(original.requests).map((r) => {
          const req = r as TraceRequest;
          // latest prints an errno; a 6.1 failure (errno unknown) is exported with cma_alloc's initial -ENOMEM.
          return flavour === 'latest' ? { ...req, errno: req.ok ? 0 : -12, availableCount: 0, totalCount: 0, phase: '' } : { ...req, phase: '' };
        });
        expect(sequence(back.requests)).to.deep.equal(expected);
        expect(back.releases.map(({ line, ...r }) => r)).to.deep.equal(original.releases.map(({ line, ...r }) => r));
      });
    }
  }

  it('round trip of simulated events: busy retries, errnos, availability counts, areas', () => {
    const cam: TraceTask = { comm: 'fimc0-capture-long', pid: 1001, cpu: 1 };
    const ev = (time: number, event: TraceEvent): TimedTraceEvent => ({ time, event });
    const base = { task: cam, name: 'cam', count: 16, align: 4, request: 7 };
    const entries = [
      ev(1_000, { type: 'trace.cma_alloc_start', ...base, availableCount: 500, totalCount: 4096 }),
      ev(2_000, { type: 'trace.cma_alloc_busy_retry', ...base, pfn: 0x40000 }),
      ev(3_000, { type: 'trace.mm_migrate_pages_start', task: cam, mode: 'MIGRATE_SYNC', reason: 'contig_range' }),
      ev(4_000, {
        type: 'trace.mm_migrate_pages', task: cam, nrSucceeded: 30, nrFailed: 2, nrThpSucceeded: 0, nrThpFailed: 0,
        nrThpSplit: 0, nrSplit: 1, mode: 'MIGRATE_SYNC', reason: 'contig_range',
      }),
      ev(5_000, { type: 'trace.test_pages_isolated', task: cam, startPfn: 0x40010, endPfn: 0x40020, finPfn: 0x40020, ret: 'success' }),
      ev(9_000, { type: 'trace.cma_alloc_finish', ...base, pfn: 0x40010, errorno: 0 }),
      ev(10_000, { type: 'trace.cma_alloc_start', ...base, availableCount: 484, totalCount: 4096 }),
      ev(12_000, { type: 'trace.cma_alloc_finish', ...base, pfn: -1, errorno: -16 }),
      ev(20_000, { type: 'trace.cma_release', task: cam, name: 'cam', pfn: 0x40010, count: 16 }),
    ];
    const areas = [{ name: 'cam', size: 16 * 2 ** 20, base: 0x40000000 }];
    const text = exportTrace(entries, { flavour: 'latest', areas });
    expect(text.startsWith('# tracer: nop\n#\n# entries-in-buffer/entries-written: 9/9   #P:2\n')).to.equal(true);
    const back = importTrace(text);
    expect(back.areas).to.deep.equal(areas);
    expect(back.events.map((e) => e.event)).to.deep.equal(entries.map((e) => ({
      ...e.event, task: { ...cam, comm: 'fimc0-capture-l' }, ...('request' in e.event ? { request: 0 } : {}),
    })));
    expect(back.requests.map((r) => [r.ok, r.pfn, r.errno, r.busyRetries, r.migrated, r.migrateFailed, r.latency]))
      .to.deep.equal([[true, 0x40010, 0, 1, 30, 2, 8_000], [false, -1, -16, 0, 0, 0, 2_000]]);
    const six = exportTrace(entries, { flavour: '6.1' });
    expect(six).to.include('cma_alloc_finish: name=cam pfn=0xffffffffffffffff page=0000000000000000 count=16 align=4\n');
    expect(six).to.include('cma_alloc_start: name=cam count=16 align=4\n');
    expect(six).to.not.include('nr_split');
    expect(text).to.include('cma_alloc_finish: name=cam pfn=0x0 page=0000000000000000 count=16 align=4 errorno=-16\n');
  });

  it('a simulated run, exported as ftrace, imports back to its own request sequence', () => {
    const { history: h, requests } = injectRealTrace('smoke-3g-misaligned');
    expect(requests).to.have.length(realTrace('smoke-3g-misaligned').requests.length);
    const entries = traceEventsOf(h.envelopes(1, h.lastSeq));
    const areas = traceAreasOf(h.stateAt(h.lastSeq).model);
    expect(areas).to.have.deep.members([
      { name: 'reserved', size: 256 * 2 ** 20, base: 0xac800000 }, { name: 'hugetlb0', size: 2 ** 30, base: 0xbf800000 },
    ]);
    for (const flavour of ['6.1', 'latest'] as const) {
      const back = importTrace(exportTrace(entries, { flavour, areas }), { file: `sim.${flavour}` });
      expect(back.areas).to.deep.equal(areas);
      expect(back.requests.map((r) => [r.comm, r.pid, r.area, r.count, r.align, r.ok, r.pfn])).to.deep.equal(
        requests.map((r) => [r.requester.slice(0, 15), r.pid, r.area, r.count, r.align, r.status === 'done', r.pfn ?? -1]));
      expect(compareRuns(back.requests, requests, { areas: [] }).firstDivergence).to.equal(null);
      // Same start times, to the microsecond the text keeps.
      expect(back.requests.map((r) => r.start / 1000)).to.deep.equal(requests.map((r) => Math.floor(r.submittedAt / 1000)));
    }
  });
});
