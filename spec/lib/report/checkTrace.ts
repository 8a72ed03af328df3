import { expect } from 'chai';
import type { TraceEventJson } from '../../../lib/report/perfettoTrace.ts';

/**
 * Structural check of the Chrome trace-event format as Perfetto's JSON importer reads it:
 * known phases, µs timestamps, complete (X) slices that nest per thread, flow start/end pairs
 * bound to slices, and named threads.
 */
export function checkTrace(text: string): TraceEventJson[] {
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

