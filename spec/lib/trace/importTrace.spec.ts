import { expect } from 'chai';
import { importTrace } from '../../../lib/trace/importTrace.ts';
import { TraceFormatError } from '../../../lib/trace/traceError.ts';
import { REAL_TRACES, realTrace, csvRows, fixtureText } from './fixtures.ts';

const us = (s: string): number => Math.round(Number(s) * 1e6) * 1000;

describe('importTrace', () => {
  describe('real Linux 6.1 traces', () => {
    for (const name of REAL_TRACES) {
      it(`${name}: recovers every request of its .requests.csv`, () => {
        const t = realTrace(name);
        const rows = csvRows(name);
        expect(t.source).to.equal('ftrace');
        expect(t.generation).to.equal('6.1');
        expect(t.requests).to.have.length(rows.length);
        t.requests.forEach((r, i) => {
          const row = rows[i];
          const got = {
            start: r.start, end: r.end, task: r.comm, pid: r.pid, cpuStart: r.cpuStart, cpuEnd: r.cpuEnd, name: r.area,
            count: r.count, align: r.align, ok: r.ok, pfn: r.pfn, migrated: r.migrated, migFailed: r.migrateFailed,
            calls: r.migrateCalls, busy: r.busyRetries, isoFail: r.isolationFailures, phase: r.phase,
          };
          expect(got, `request ${i}`).to.deep.equal({
            start: us(row.start), end: us(row.end), task: row.task, pid: Number(row.pid), cpuStart: Number(row.cpu_start),
            cpuEnd: Number(row.cpu_end), name: row.name, count: Number(row.count), align: Number(row.align),
            ok: row.ok === 'True', pfn: row.ok === 'True' ? parseInt(row.pfn, 16) : -1, migrated: Number(row.migrated),
            migFailed: Number(row.mig_failed), calls: Number(row.migrate_calls), busy: Number(row.busy_retries),
            isoFail: Number(row.iso_fail), phase: row.phase,
          });
          expect(r.latency).to.equal(us(row.end) - us(row.start));
          expect(Math.abs(r.latency! / 1e6 - Number(row.latency_ms))).to.be.below(1e-6);
        });
      });

      it(`${name}: counts match the events-per-type table of its .summary.txt`, () => {
        const t = realTrace(name);
        const summary = fixtureText(name, 'summary.txt');
        const table = new Map([...summary.matchAll(/^\s+(\d+)\s+(\w+)$/gm)].map((m) => [m[2], Number(m[1])]));
        const known = new Map<string, number>();
        for (const e of t.events) known.set(e.event.type.slice('trace.'.length), (known.get(e.event.type.slice(6)) ?? 0) + 1);
        for (const [ev, n] of table) expect(known.get(ev) ?? t.skipped[ev], ev).to.equal(n);
        expect(t.releases.length).to.equal(table.get('cma_release'));
      });
    }

    it('6.1 failure: pfn=0xffffffffffffffff is a failed request with no errno (smoke, 1 GiB page)', () => {
      const failed = realTrace('smoke-3g-misaligned').requests.filter((r) => !r.ok);
      expect(failed).to.have.length(1);
      expect(failed[0]).to.include({ area: 'hugetlb0', count: 262144, align: 18, pfn: -1, errno: null, latency: 61000 });
    });

    it('phases tile each request: isolation, migration and finishing of a 32 MiB page (smoke, line 66 on)', () => {
      for (const name of REAL_TRACES) {
        for (const r of realTrace(name).requests) {
          expect(r.phases!.isolate + r.phases!.migrate + r.phases!.finish).to.equal(r.latency);
        }
      }
      const r = realTrace('smoke-3g-misaligned').requests.find((q) => q.area === 'hugetlb0' && q.ok)!;
      // start 38.849822, mm_migrate_pages_start 38.860903, test_pages_isolated 38.861038, finish 38.995731
      expect(r.phases).to.deep.equal({ isolate: 11_081_000, migrate: 135_000, finish: 134_693_000 });
    });

    it('the 1 GiB allocation of boot-and-hugetlb-1 migrated 208,441 pages (its README)', () => {
      const big = realTrace('boot-and-hugetlb-1').requests.find((r) => r.count === 262144)!;
      expect(big).to.include({ ok: true, migrated: 208441, busyRetries: 0 });
    });
  });

  describe('input flavours', () => {
    const kernelLines = [
      '          insmod-108     [000] .....    11.094464: cma_alloc_start: name=reserved count=2 align=1',
      '          insmod-108     [001] .....    11.117653: mm_migrate_pages: nr_succeeded=3 nr_failed=1 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_SYNC reason=contig_range',
      '          insmod-108     [001] .....    11.120954: cma_alloc_finish: name=reserved pfn=0xac980 page=000000008bc9b3a4 count=2 align=1',
    ];
    const expectOne = (text: string, source: string): void => {
      const t = importTrace(text);
      expect(t.source).to.equal(source);
      expect(t.requests).to.have.length(1);
      expect(t.requests[0]).to.include({ comm: 'insmod', pid: 108, pfn: 0xac980, migrated: 3, migrateFailed: 1, latency: 26490000 });
    };

    it('trace_pipe output (no header)', () => expectOne(kernelLines.join('\n') + '\n', 'trace_pipe'));

    it('trace-cmd report output (version header, cpus=, padded event names, no flags)', () => {
      const text = ['version = 6', 'CPU 1 is empty', 'cpus=2',
        '          insmod-108   [000]    11.094464: cma_alloc_start:      name=reserved count=2 align=1',
        '          insmod-108   [001]    11.117653: mm_migrate_pages:     nr_succeeded=3 nr_failed=1 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_SYNC reason=contig_range',
        '          insmod-108   [001]    11.120954: cma_alloc_finish:     name=reserved pfn=0xac980 page=0xffff8000 count=2 align=1'].join('\n');
      expectOne(text, 'trace-cmd');
    });

    it('comm with dashes and spaces, tgid column, 4-column flags, ns timestamps', () => {
      const t = importTrace([
        ' kworker/u4:1-ev ent-77  (   77) [003] d..1 12.000000001: cma_alloc_start: name=cam count=4 align=2',
        ' kworker/u4:1-ev ent-77  (   77) [003] d..1 12.000000101: cma_alloc_finish: name=cam pfn=0x10 page=0 count=4 align=2'].join('\n'));
      expect(t.requests[0]).to.include({ comm: 'kworker/u4:1-ev ent', pid: 77, cpuStart: 3, latency: 100, pfn: 0x10 });
    });

    it('newest generation: request/available/total counts, errorno, busy retries', () => {
      const t = importTrace([
        '# tracer: nop',
        '   cam-5 [000] ..... 1.000000: cma_alloc_start: name=cam request_count=16 available_count=100 total_count=1024 align=4',
        '   cam-5 [000] ..... 1.000100: cma_alloc_busy_retry: name=cam pfn=0x1000 page=0 count=16 align=4',
        '   cam-5 [000] ..... 1.000200: test_pages_isolated: start_pfn=0x1010 end_pfn=0x1020 fin_pfn=0x1015 ret=fail',
        '   cam-5 [000] ..... 1.000300: cma_alloc_busy_retry: name=cam pfn=0x1010 page=0 count=16 align=4',
        '   cam-5 [000] ..... 1.000400: cma_alloc_finish: name=cam pfn=0x0 page=0 count=16 align=4 errorno=-16',
      ].join('\n'));
      expect(t.generation).to.equal('latest');
      expect(t.requests[0]).to.deep.include({
        ok: false, pfn: -1, errno: -16, busyRetries: 2, retryPfns: [0x1000, 0x1010], isolationFailures: 1,
        availableCount: 100, totalCount: 1024,
      });
    });

    it('old single cma_alloc events: migrations before the line belong to it; NULL page = failure', () => {
      const t = importTrace([
        '  app-9 [001] .... 5.000000: mm_migrate_pages: nr_succeeded=7 nr_failed=0 mode=MIGRATE_SYNC reason=cma',
        '  app-9 [001] .... 5.000100: cma_alloc: pfn=9f000 page=ffffffbdbfc00000 count=8 align=3',
        '  app-9 [001] .... 5.000200: cma_alloc: pfn=9f008 page=(null) count=8 align=3',
        '  app-9 [001] .... 5.000300: cma_release: pfn=9f000 page=ffffffbdbfc00000 count=8',
      ].join('\n'));
      expect(t.generation).to.equal('single');
      expect(t.requests.map((r) => [r.ok, r.pfn, r.migrated, r.latency])).to.deep.equal([[true, 0x9f000, 7, null], [false, -1, 0, null]]);
      expect(t.releases[0]).to.include({ pfn: 0x9f000, count: 8, area: '' });
    });

    it('finds areas in printk:console lines of the trace (boot messages of mm/cma.c)', () => {
      const t = importTrace([
        '          <idle>-0       [000] d..1.     0.000000: console: [    0.000000] hugetlb_cma: reserve 1024 MiB, up to 1024 MiB per node',
        '          <idle>-0       [000] d..1.     0.000000: console: [    0.000000] cma: Reserved 1024 MiB at 0x0000000100000000',
        '          <idle>-0       [000] d..1.     0.000000: console: [    0.000000] cma: Reserved 256 MiB at 0x00000000f0000000',
      ].join('\n') + '\n');
      expect(t.areas).to.deep.equal([
        { name: 'hugetlb0', size: 2 ** 30, base: 0x100000000 }, { name: 'reserved', size: 2 ** 28, base: 0xf0000000 },
      ]);
      expect(t.skipped).to.deep.equal({ console: 3 });
    });

    it('skips other events with a count per name', () => {
      const t = importTrace(kernelLines.join('\n') + '\n   x-1 [000] ..... 12.0: sched_switch: prev_comm=a\n   x-1 [000] ..... 12.1: __proto__: x=1\n');
      expect(t.skipped).to.deep.equal({ sched_switch: 1, ['__proto__']: 1 });
      expect(Object.getPrototypeOf(t.skipped)).to.equal(Object.prototype);
    });
  });

  describe('errors', () => {
    const err = (text: string): TraceFormatError => {
      try {
        importTrace(text, { file: 'x.txt' });
      } catch (e) {
        expect(e).to.be.instanceOf(TraceFormatError);
        expect((e as Error).message).to.not.include('\n');
        return e as TraceFormatError;
      }
      throw new Error('expected a TraceFormatError');
    };
    const start = '  a-1 [000] ..... 1.000000: cma_alloc_start: name=r count=2 align=1';

    it('a malformed known-event line names file, line and field', () => {
      const e = err(`${start}\n  a-1 [000] ..... 1.000100: cma_alloc_finish: name=r pfn=0xzz page=0 count=2 align=1\n`);
      expect(e.message).to.equal("x.txt:2: field 'pfn': malformed cma_alloc_finish line: expected a hexadecimal pfn, got '0xzz'");
      expect([e.line, e.field]).to.deep.equal([2, 'pfn']);
    });

    it('a known event missing a field names it', () => {
      const e = err(`${start}\n  a-1 [000] ..... 1.000100: cma_alloc_finish: name=r pfn=0x1 page=0 align=1\n`);
      expect([e.line, e.field]).to.deep.equal([2, 'count']);
    });

    it('an unknown format version of a known event', () => {
      const e = err('  a-1 [000] ..... 1.0: cma_alloc_start: name=r count=2 align=1 gfp=GFP_KERNEL\n');
      expect(e.message).to.match(/^x\.txt:1: unknown format version of cma_alloc_start: unexpected field 'gfp'/);
    });

    it('an unknown trace-cmd report version', () => {
      expect(err('version = 9\ncpus=2\n').message).to.equal("x.txt:1: unknown trace-cmd format version '9' (expected 6 or 7)");
    });

    it('two cma generations in one file', () => {
      // A 6.1-style start with a 6.15+ start: no kernel prints both. (This test used a 6.1 start with
      // an errorno finish, which 6.6 to 6.14 do print together: that pair now imports, below.)
      const e = err(`${start}\n  a-1 [000] ..... 1.1: cma_alloc_start: name=r request_count=2 available_count=9 total_count=16 align=1\n`);
      expect(e.message).to.match(/x\.txt:2: unknown format version: cma events of the 'latest' generation after '6.1'/);
    });

    it('a file cut mid-line', () => {
      const e = err(`${start}\n  a-1 [000] ..... 1.000100: cma_alloc_finish: name=r pfn=0x1 page=0 cou`);
      expect(e.message).to.match(/^x\.txt:2: file truncated: the last line ends mid-record/);
    });

    it('a file with fewer entries than its header announces', () => {
      const real = fixtureText('smoke-3g-misaligned', 'trace.txt').split('\n');
      const e = err(real.slice(0, 100).join('\n') + '\n');
      expect(e.message).to.match(/file truncated: the header announces 242 entries but the file ends after 88/);
    });

    it('a request whose finish is missing at the end of the file', () => {
      expect(err(`${start}\n`).message).to.match(/^x\.txt:1: trace truncated: cma_alloc_start of a-1 has no cma_alloc_finish/);
      expect(importTrace(`${start}\n`, { allowUnfinished: true }).unfinished).to.equal(1);
    });

    it('a finish without a start, unless the ring buffer overran', () => {
      const finish = '  a-1 [000] ..... 1.1: cma_alloc_finish: name=r pfn=0x1 page=0 count=2 align=1';
      expect(err(`${finish}\n`).message).to.match(/x\.txt:1: cma_alloc_finish of a-1 has no cma_alloc_start/);
      expect(importTrace(`# entries-in-buffer/entries-written: 1/5   #P:2\n${finish}\n`).orphans).to.equal(1);
    });

    it('a finish that does not match its start', () => {
      const e = err(`${start}\n  a-1 [000] ..... 1.1: cma_alloc_finish: name=r pfn=0x1 page=0 count=4 align=1\n`);
      expect([e.line, e.field]).to.deep.equal([2, 'count']);
    });

    it('a line that is no ftrace line at all', () => {
      expect(err(`${start}\nhello world\n`).message).to.match(/^x\.txt:2: not an ftrace line/);
    });
  });
});
