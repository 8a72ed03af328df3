import { expect } from 'chai';
import { assignLanes, attemptIntervals, lockHolds, phaseLocks, phaseSpans } from '../../../lib/report/timeline.ts';
import { requests } from '../../fixtures/report/smallRun.ts';

describe('report/timeline', () => {
  it('names the locks of each phase by lock mode (reference §1 "locking")', () => {
    // 3.5 and the 2010-2011 series: one mutex around the whole allocation
    expect(phaseLocks('global', 'cam', 'search')).to.deep.equal(['cma_mutex']);
    expect(phaseLocks('series', 'cam', 'migration')).to.deep.equal(['cma_mutex']);
    // ~3.17-6.14: bitmap lock for the search, global cma_mutex around alloc_contig_range
    expect(phaseLocks('split', 'cam', 'search')).to.deep.equal(['cam.lock']);
    expect(phaseLocks('split', 'cam', 'isolation')).to.deep.equal(['cma_mutex']);
    // 6.15+: per-area alloc_mutex
    expect(phaseLocks('per-area', 'cam', 'migration')).to.deep.equal(['cam.alloc_mutex']);
    expect(phaseLocks('per-area', 'cam', 'lockWait')).to.deep.equal([]);
    expect(phaseLocks('made-up', 'cam', 'search')).to.deep.equal([]);
  });

  it('lays summed phases end to end from submission when no spans were recorded', () => {
    const spans = phaseSpans(requests[0], 10_000_000);
    expect(spans.map((s) => [s.phase, s.start, s.end])).to.deep.equal([
      ['search', 100_000, 105_000], ['isolation', 105_000, 125_000], ['migration', 125_000, 425_000], ['finishing', 425_000, 435_000]]);
    expect(lockHolds(spans)).to.deep.equal([{ lock: 'cma_mutex', start: 100_000, end: 435_000 }]);
  });

  it('uses recorded spans as they are, clipped to the request, and merges holds per lock', () => {
    const r = { ...requests[0], spans: [
      { phase: 'search' as const, start: 90_000, end: 101_000, locks: ['a.lock'] },
      { phase: 'isolation' as const, start: 101_000, end: 200_000, locks: ['cma_mutex'] },
      { phase: 'migration' as const, start: 200_000, end: 900_000, locks: ['cma_mutex'] },
    ] };
    const spans = phaseSpans(r, 10_000_000);
    expect(spans[0].start).to.equal(100_000);
    expect(spans[2].end).to.equal(435_000);
    expect(lockHolds(spans)).to.deep.equal([
      { lock: 'a.lock', start: 100_000, end: 101_000 }, { lock: 'cma_mutex', start: 101_000, end: 435_000 }]);
  });

  it('gives attempts their recorded intervals; a running attempt ends at the run end', () => {
    expect(attemptIntervals(requests[1], 1_400_000).map((a) => [a.start, a.end, a.result])).to.deep.equal([[445_000, 900_000, -16], [900_000, 1_400_000, 0]]);
    expect(attemptIntervals(requests[4], 5_000_000).map((a) => [a.start, a.end])).to.deep.equal([[4_513_000, 5_000_000]]);
  });

  it('assigns overlapping intervals to separate lanes, reusing a lane once it is free', () => {
    expect(assignLanes([{ start: 0, end: 10 }, { start: 5, end: 8 }, { start: 9, end: 12 }, { start: 10, end: 11 }])).to.deep.equal([0, 1, 1, 0]);
  });
});
