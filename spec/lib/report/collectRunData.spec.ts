import { expect } from 'chai';
import { getAllocator } from '../../../models/cma/allocators/registry.ts';
import { K_ANON, K_TAKEN, useCode, pcCode, headCode, FREE_TAIL } from '../../../models/memory/pageCode.ts';
import type { SimState } from '../../../models/state.ts';
import { collectRunData, type RunSource } from '../../../lib/report/collectRunData.ts';
import { sampleTimes } from '../../../lib/report/sampler.ts';
import { probeAllAreas, probeRequests } from '../../../lib/report/stateProbe.ts';
import { jsonReport } from '../../../lib/report/jsonReport.ts';
import { perfettoTrace } from '../../../lib/report/perfettoTrace.ts';
import { checkTrace } from './checkTrace.ts';
import { requests } from '../../fixtures/report/smallRun.ts';
import { Engine } from '../../../lib/engine/index.ts';
import type { SimEvent } from '../../../events/index.ts';
import { History, stateHash } from '../../../lib/history/index.ts';
import { recordRun } from '../../../lib/report/recordRun.ts';
import { cmaSimModel } from '../../../models/cmaSimModel.ts';
import { createInitialState } from '../../../models/initialState.ts';
import type { RunData } from '../../../lib/report/runData.ts';

/**
 * A hand-made state with only the fields the probe reads: 16 pages in pageblocks of 4, one area
 * 'cam' over pfns 4..15 (pageblocks 1-3). Pageblock 1 is allocated, pageblock 2 half allocated,
 * pageblock 3 holds a pinned anonymous page; page cache sits in pageblock 2.
 */
function state(opts: { isolate3?: boolean; migrated?: number } = {}): SimState {
  const bitmap = getAllocator('bitmap');
  const geo = { name: 'cam', basePfn: 4, count: 12, orderPerBit: 0 };
  let alloc = bitmap.init(geo, {});
  alloc = bitmap.reserve(alloc, geo, 4, 4);
  alloc = bitmap.reserve(alloc, geo, 8, 2);
  const taken = useCode(K_TAKEN, 0);
  const pb = (pages: number[], over: object = {}) => ({ mt: 'CMA', saved: null, reserve: 'cma', zone: 0, nrFree: pages.filter((c) => c < 0).length, heads: [], pages, pins: null, ...over });
  const memory = {
    config: { pageSize: 4096, maxOrder: 10, pageblockOrder: 2, cmaFallback: 'balance' },
    banks: [{ name: 'ram', startPfn: 0, nrPages: 16, firstPb: 0, zone: 0 }],
    pageblocks: [
      pb([headCode(2), FREE_TAIL, FREE_TAIL, FREE_TAIL], { mt: 'MOVABLE', reserve: null }),
      pb([taken, taken, taken, taken]),
      pb([taken, taken, pcCode(3, 0), headCode(0)]),
      pb([useCode(K_ANON, 5), headCode(0), headCode(1), FREE_TAIL], { pins: { 0: 1 }, ...(opts.isolate3 ? { mt: 'ISOLATE', saved: 'CMA' } : {}) }),
    ],
    stats: { allocFailures: 0, reclaimed: 0, migrated: opts.migrated ?? 0, stolen: 0 },
  };
  const working = { cpu: 0, areaIndex: 0, cursor: 0, busy: [], candidate: null, candidateCursorNext: 0, migrateCursor: 0, tries: 0, lastError: null, markAt: 0, held: [] };
  const cma = {
    lockMode: 'split', areaOrder: ['cam'],
    areas: { cam: { ...geo, bank: 'ram', shared: true, allocator: 'bitmap', alloc, available: 6, counters: {} } },
    requests: { 2: { ...requests[1], ...working }, 1: { ...requests[0], ...working } },
  };
  return { memory, cma } as unknown as SimState;
}

describe('report/collectRunData and its state probe', () => {
  it('reads an area: allocation from the allocator, page cache and buddy free from the pages', () => {
    const [cam] = probeAllAreas(state());
    // allocated = count - available; free runs: pfn 10..15 (6 pages, one run)
    expect(cam.sample).to.deep.equal({ allocated: 6, free: 6, largestFree: 6, buddyFree: 4, pagecache: 1 });
    expect(cam.blocks).to.equal('Amp'); // allocated, mixed, pinned
    expect(probeAllAreas(state({ isolate3: true }))[0].blocks).to.equal('AmI'); // isolation wins
  });

  it('keeps only the report-facing request fields, in id order', () => {
    const rs = probeRequests(state());
    expect(rs.map((r) => r.id)).to.deep.equal([1, 2]);
    expect(rs[1]).to.deep.equal(requests[1]);
    expect(rs[0]).not.to.have.property('cursor');
  });

  it("reports every lock wait the model tells apart as 'waiting-lock'", () => {
    const s = state();
    const waiting = { ...s, cma: { ...s.cma, requests: { ...s.cma.requests, 1: { ...s.cma.requests[1], status: 'waiting-contig-lock' } } } } as SimState;
    expect(probeRequests(waiting)[0].status).to.equal('waiting-lock');
  });

  it('spaces sample times evenly over the run, ends included, integer ns', () => {
    expect(sampleTimes(10, 3)).to.deep.equal([0, 5, 10]);
    expect(sampleTimes(10, 4)).to.deep.equal([0, 3, 7, 10]);
    expect(sampleTimes(2, 5)).to.deep.equal([0, 1, 2]); // duplicates dropped
    expect(sampleTimes(0, 5)).to.deep.equal([0]);
    expect(() => sampleTimes(10, 0)).to.throw(RangeError, /positive integer/);
  });

  it('samples a run through its history and keeps map frames at a subset of sample times', () => {
    const asked: number[] = [];
    const src: RunSource = {
      stateAtTime: (t) => { asked.push(t); return { model: state({ migrated: t / 100, isolate3: t >= 500 }) }; },
      lastSeq: 77,
      engine: { now: 1000, model: { name: 'cma-sim', version: '0.1.0' } },
    };
    const d = collectRunData(src, { scenario: 'probe', seed: 9, samples: 11, mapFrames: 3 });
    expect(d.meta).to.deep.equal({ scenario: 'probe', seed: 9, modelVersion: 'cma-sim@0.1.0', lockMode: 'split', durationNs: 1000, eventCount: 77 });
    expect(d.areas).to.deep.equal([{ name: 'cam', basePfn: 4, pages: 12, pageblockPages: 4 }]);
    expect(d.samples.map((s) => s.t)).to.deep.equal([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(d.samples.map((s) => s.migratedTotal)[10]).to.equal(10);
    expect(d.maps.map((m) => [m.t, m.blocks[0]])).to.deep.equal([[0, 'Amp'], [500, 'AmI'], [1000, 'AmI']]);
    expect(asked.slice(0, 11)).to.deep.equal(d.samples.map((s) => s.t)); // ascending: history replays forward
    expect(d.requests.map((r) => r.id)).to.deep.equal([1, 2]);
    expect(() => JSON.parse(jsonReport(d))).not.to.throw(); // collected data feeds the reports
  });
});

describe('report/collectRunData on a real run (engine + cmaSimModel + history)', () => {
  function engine(): Engine<SimState, SimEvent> {
    const s0 = createInitialState({ machine: { memory: '64M' }, cma: { lockMode: 'global', areas: [{ name: 'camera', size: '8M' }, { name: 'video', size: '4M' }] } });
    const eng = new Engine<SimState, SimEvent>(cmaSimModel, s0, { seed: 1, snapshotEvery: 16 });
    // six requests of growing size alternating between the areas: the later ones cannot fit
    for (let i = 0; i < 6; i++) {
      eng.inject({ type: 'cma.alloc.request', count: 256 * (i + 1), align: 8, requester: i % 2 ? 'mfc' : 'fimc0', pid: 10 + i, area: i % 3 ? 'camera' : 'video' }, i * 100_000);
    }
    return eng;
  }
  const SAMPLING = { samples: 21, mapFrames: 5 };

  function run(): RunData {
    const eng = engine();
    eng.run({ until: 2_000_000 });
    return collectRunData(new History(eng), { scenario: 'e2e', seed: 1, ...SAMPLING });
  }

  it('recordRun collects, during the run, exactly what collectRunData replays afterwards, without disturbing it', () => {
    const eng = engine();
    const rec = recordRun(eng, 2_000_000, SAMPLING);
    eng.run({ until: 700_000 }); // a run in two legs, as a progress-reporting caller does
    eng.run({ until: 2_000_000 });
    const live = rec.finish({ scenario: 'e2e', seed: 1 });
    expect(live).to.deep.equal(run());
    const plain = engine();
    plain.run({ until: 2_000_000 });
    expect(stateHash(eng.state)).to.equal(stateHash(plain.state));
  });

  it('collects every request and samples consistent with them', () => {
    const d = run();
    expect(d.meta.durationNs).to.equal(2_000_000);
    expect(d.areas.map((a) => [a.name, a.pages])).to.deep.equal([['camera', 2048], ['video', 1024]]);
    expect(d.requests.map((r) => r.id)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(d.requests.every((r) => r.errno !== null && r.finishedAt !== null)).to.equal(true);
    const last = d.samples[d.samples.length - 1];
    d.areas.forEach((a, i) => {
      const ok = d.requests.filter((r) => r.errno === 0 && r.area === a.name).reduce((n, r) => n + r.count, 0);
      expect(last.areas[i].allocated, a.name).to.equal(ok);
      expect(last.areas[i].free + last.areas[i].allocated, a.name).to.equal(a.pages); // nothing in flight at the end
      expect(d.maps[d.maps.length - 1].blocks[i]).to.have.length(a.pages / a.pageblockPages);
    });
    expect(d.samples.map((s) => s.t)).to.deep.equal(sampleTimes(2_000_000, 21));
    expect(d.maps).to.have.length(5);
  });

  it('feeds a well-formed Perfetto trace with a lock track for the global mutex', () => {
    const evs = checkTrace(perfettoTrace(run()));
    const locks = evs.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === 2).map((e) => e.args!.name);
    expect(locks).to.deep.equal(['cma_mutex']);
  });

  it('is deterministic: two runs give byte-identical reports', () => {
    expect(jsonReport(run())).to.equal(jsonReport(run()));
  });
});
