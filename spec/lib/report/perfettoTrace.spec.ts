import { expect } from 'chai';
import { perfettoTrace, PID, type TraceEventJson } from '../../../lib/report/perfettoTrace.ts';
import type { RunData } from '../../../lib/report/runData.ts';
import { EVIL, requests, smallRun } from '../../fixtures/report/smallRun.ts';
import { checkTrace } from './checkTrace.ts';

const threadNames = (evs: TraceEventJson[], pid: number) =>
  evs.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid).map((e) => e.args!.name);

describe('report/perfettoTrace', () => {
  it('is a well-formed trace: phases, µs timestamps, nesting, matched flows', () => {
    checkTrace(perfettoTrace(smallRun));
  });

  it('has one track per device, per lock and per area, phase slices and counters', () => {
    const evs = checkTrace(perfettoTrace(smallRun));
    expect(threadNames(evs, PID.devices)).to.deep.equal([EVIL, 'fimc0', 'mfc']);
    expect(threadNames(evs, PID.locks)).to.deep.equal(['cma_mutex', 'video.alloc_mutex', 'video.lock']);
    expect(threadNames(evs, PID.areas)).to.deep.equal(['camera', 'video']);
    // request 2: phases laid end to end from submission (200 µs), summing to its latency
    const phases = evs.filter((e) => e.cat === 'phase' && e.args!.request === 2);
    expect(phases.map((e) => [e.name, e.ts, e.dur])).to.deep.equal([
      ['lockWait', 200, 235], ['search', 435, 10], ['isolation', 445, 40], ['migration', 485, 900], ['finishing', 1385, 15]]);
    // the area track shows each attempt on its real interval; the flow ends at the one that completed
    const onArea = evs.filter((e) => e.cat === 'area' && e.args!.request === 2);
    expect(onArea.map((e) => [e.name, e.ts, e.dur])).to.deep.equal([['#2 @0x40100 attempt 1 -EBUSY', 445, 455], ['#2 @0x40200 done', 900, 500]]);
    expect(evs.find((e) => e.ph === 'f' && e.id === 2)!.ts).to.equal(900);
    const free = evs.filter((e) => e.ph === 'C' && e.name === 'free pages');
    expect(free.map((e) => e.args!.camera)).to.deep.equal([2048, 1536, 1536, 960]);
    expect(evs.some((e) => e.ph === 'C' && e.name === 'fragmentation %')).to.equal(true);
  });

  it('gives no flow to a request that never reached an area, and still nests', () => {
    const { startedAt: _s, endedAt: _e, ...untimed } = requests[0].attempts[0];
    const refused = { ...requests[3], id: 10, area: null, attempts: [], errno: -22, status: 'failed' as const };
    const oldStyle = { ...requests[0], id: 11, area: null, attempts: [untimed as typeof requests[0]['attempts'][0]] };
    const evs = checkTrace(perfettoTrace({ ...smallRun, requests: [...smallRun.requests, refused, oldStyle] }));
    expect(evs.filter((e) => (e.ph === 's' || e.ph === 'f') && (e.id === 10 || e.id === 11))).to.deep.equal([]);
    expect(evs.some((e) => e.cat === 'request' && e.args!.id === 10 && e.args!.result === 'failed -EINVAL')).to.equal(true);
  });

  it('puts overlapping requests of one device on separate lanes so slices still nest', () => {
    const overlap = { ...requests[0], id: 9, submittedAt: 150_000, finishedAt: 400_000 };
    const data: RunData = { ...smallRun, requests: [...smallRun.requests, overlap] };
    const evs = checkTrace(perfettoTrace(data));
    expect(threadNames(evs, PID.devices)).to.include.members(['fimc0', 'fimc0 #2']);
  });
});
