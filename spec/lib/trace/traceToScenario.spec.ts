import { expect } from 'chai';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { importTrace } from '../../../lib/trace/importTrace.ts';
import { areasFromDmesg, ramFromDmesg } from '../../../lib/trace/traceAreas.ts';
import { traceReplay, traceToScenario } from '../../../lib/trace/traceToScenario.ts';
import { fixtureText, realTrace } from './fixtures.ts';

describe('traceToScenario', () => {
  const name = 'smoke-3g-misaligned';
  const areas = areasFromDmesg(fixtureText(name, 'dmesg.txt'));

  it('replays the same requests and releases at the same relative times', () => {
    const t = realTrace(name);
    const r = traceReplay(t, areas);
    expect(r.origin).to.equal(t.requests[0].start);
    expect(r.requests.map((q) => [q.at, q.id, q.area, q.count, q.align, q.requester, q.pid])).to.deep.equal(
      t.requests.map((q, i) => [q.start - t.requests[0].start, i + 1, q.area, q.count, q.align, q.comm, q.pid]));
    // The trace's releases: two 32 MiB pages (requests 8, 9), then virtio rings of insmod-108 (4, 5).
    expect(r.releases.map((x) => [x.area, x.count, x.request])).to.deep.equal([
      ['hugetlb0', 8192, 8], ['hugetlb0', 8192, 9], ['reserved', 2, 4], ['reserved', 2, 5],
    ]);
  });

  it('builds a scenario that lib/scenario accepts, with areas, bank and lock mode of the trace', () => {
    const input = traceToScenario(realTrace(name), { areas, ram: ramFromDmesg(fixtureText(name, 'dmesg.txt')) });
    const s = checkScenario(input);
    expect(s.cma.lockMode).to.equal('split');
    expect(s.cma.areas.map((a) => [a.name, a.size, a.base, a.allocator])).to.deep.equal([
      ['reserved', 256 * 2 ** 20, 0xac800000, 'bitmap'], ['hugetlb0', 2 ** 30, 0xbf800000, 'bitmap'],
    ]);
    expect(s.machine.banks).to.deep.equal([{ name: 'ram', base: 0x40000000, size: 3 * 2 ** 30 }]);
    const replay = s.workload[0];
    expect(replay.kind).to.equal('replay');
    if (replay.kind !== 'replay') return;
    expect(replay.events).to.have.length(12 + 4);
    expect(replay.events[0]).to.deep.equal({
      at: 0, event: { type: 'cma.alloc.request', id: 1, area: 'reserved', count: 128, align: 7, requester: 'init', pid: 1, cpu: 1 },
    });
    expect(replay.events.filter((e) => e.event.type === 'cma.release').map((e) => e.event)).to.deep.equal([
      { type: 'cma.release', chunk: 8 }, { type: 'cma.release', chunk: 9 }, { type: 'cma.release', chunk: 4 }, { type: 'cma.release', chunk: 5 },
    ]);
    expect(JSON.parse(JSON.stringify(input))).to.deep.equal(input);
  });

  it('takes areas from # area comments, options override them', () => {
    const text = '# tracer: nop\n# area cam=4M@0x40000000\n  a-1 [000] ..... 1.0: cma_alloc_start: name=cam count=1 align=0\n'
      + '  a-1 [000] ..... 1.5: cma_alloc_finish: name=cam pfn=0x40000 page=0 count=1 align=0\n'
      + '  a-1 [000] ..... 2.0: cma_release: name=cam pfn=0x40000 page=0 count=1\n';
    const t = importTrace(text);
    expect(traceReplay(t).areas).to.deep.equal([{ name: 'cam', size: 4 * 2 ** 20, base: 0x40000000 }]);
    expect(traceReplay(t, [{ name: 'cam', size: 8 * 2 ** 20, base: 0x40000000 }]).areas[0].size).to.equal(8 * 2 ** 20);
    expect(traceReplay(t).releases).to.deep.equal([{ at: 1e9, area: 'cam', pfn: 0x40000, count: 1, request: 1 }]);
  });

  it('names the area that has no size and base', () => {
    expect(() => traceToScenario(realTrace(name))).to.throw(
      "smoke-3g-misaligned.trace.txt: area 'reserved' has no size and base: pass --area reserved=<size>@<base> or the boot log (--dmesg)");
  });
});
