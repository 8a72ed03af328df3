import { expect } from 'chai';
import { perfettoTrace, PID, type TraceEventJson } from '../../../lib/report/perfettoTrace.ts';
import type { RunData } from '../../../lib/report/runData.ts';
import { EVIL, requests, smallRun } from '../../fixtures/report/smallRun.ts';

/**
 * Structural check of the Chrome trace-event format as Perfetto's JSON importer reads it:
 * known phases, µs timestamps, complete (X) slices that nest per thread, flow start/end pairs
 * bound to slices, and named threads.
 */
function checkTrace(text: string): TraceEventJson[] {
  const doc = JSON.parse(text);
  expect(doc.traceEvents).to.be.an('array');
  const evs: TraceEventJson[] = doc.traceEvents;
  for (const e of evs) {
    expect(['X', 'C', 'M', 's', 'f'], JSON.stringify(e)).to.include(e.ph);
    expect(Number.isInteger(e.pid) && Number.isInteger(e.tid), 'integer pid/tid').to.equal(true);
    expect(e.ts >= 0 && Number.isFinite(e.ts), 'ts').to.equal(true);
    // µs derived from integer ns: at most three decimals
    expect(Math.abs(e.ts * 1000 - Math.round(e.ts * 1000)) < 1e-6, `ts ${e.ts}`).to.equal(true);
    if (e.ph === 'X') expect(e.dur! >= 0 && Math.abs(e.dur! * 1000 - Math.round(e.dur! * 1000)) < 1e-6, 'dur').to.equal(true);
    if (e.ph === 'C') expect(Object.values(e.args!).every((v) => typeof v === 'number')).to.equal(true);
  }
  const key = (e: TraceEventJson) => `${e.pid}/${e.tid}`;
  const named = new Set(evs.filter((e) => e.ph === 'M' && e.name === 'thread_name').map(key));
  const byThread = new Map<string, TraceEventJson[]>();
  for (const e of evs.filter((x) => x.ph === 'X')) {
    expect(named.has(key(e)), `thread ${key(e)} has a name`).to.equal(true);
    byThread.set(key(e), [...(byThread.get(key(e)) ?? []), e]);
  }
  const ns = (x: number) => Math.round(x * 1000);
  for (const [k, xs] of byThread) {
    const sorted = [...xs].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const stack: number[] = []; // end times, ns
    for (const e of sorted) {
      while (stack.length && stack[stack.length - 1] <= ns(e.ts)) stack.pop();
      if (stack.length) expect(ns(e.ts) + ns(e.dur!), `slice ${e.name} on ${k} nests in its parent`).to.be.at.most(stack[stack.length - 1]);
      stack.push(ns(e.ts) + ns(e.dur!));
    }
  }
  const encloses = (e: TraceEventJson) => (byThread.get(key(e)) ?? []).some((x) => x.ts <= e.ts && e.ts <= x.ts + x.dur!);
  const starts = evs.filter((e) => e.ph === 's');
  const ends = evs.filter((e) => e.ph === 'f');
  expect(starts.length).to.be.greaterThan(0);
  expect(new Set(starts.map((e) => e.id)).size, 'flow ids unique').to.equal(starts.length);
  for (const s of starts) {
    const f = ends.filter((e) => e.id === s.id && e.cat === s.cat);
    expect(f, `flow ${s.id} has one end`).to.have.length(1);
    expect(f[0].ts).to.be.at.least(s.ts);
    expect(f[0].bp).to.equal('e');
    expect(encloses(s) && encloses(f[0]), `flow ${s.id} binds to slices`).to.equal(true);
  }
  expect(ends).to.have.length(starts.length);
  return evs;
}

const threadNames = (evs: TraceEventJson[], pid: number) =>
  evs.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid).map((e) => e.args!.name);

describe('report/perfettoTrace', () => {
  it('is a well-formed trace: phases, µs timestamps, nesting, matched flows', () => {
    checkTrace(perfettoTrace(smallRun));
  });

  it('has one track per device, per lock and per area, phase slices and counters', () => {
    const evs = checkTrace(perfettoTrace(smallRun));
    expect(threadNames(evs, PID.devices)).to.deep.equal([EVIL, 'fimc0', 'mfc']);
    expect(threadNames(evs, PID.locks)).to.deep.equal(['cma_mutex', 'video alloc_mutex']);
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
