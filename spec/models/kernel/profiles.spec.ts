import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { migratetypeOf } from '../../../models/mm/contig.ts';
import { ERRNO } from '../../../models/cma/request.ts';
import { KERNEL_VERSIONS, type KernelSetting, type KernelVersion } from '../../../models/kernel/profile.ts';
import { PROFILES } from '../../../models/kernel/profiles.ts';
import { profileForRelease, resolveKernel } from '../../../models/kernel/resolveKernel.ts';
import { shardGet } from '../../../models/memory/shardedMap.ts';
import type { AllocRecord } from '../../../models/memory/state.ts';
import type { SimState } from '../../../models/state.ts';
import { boot, fillPageCache, req, world } from '../cma/world.ts';
import { runChecked, simState } from '../memory/sim.ts';

const allocPfn = (s: SimState, id: string): number => shardGet<AllocRecord>(s.memory.allocs, shardGet<number>(s.memory.allocIds, id)!)!.pfn;

/** Run CMA requests under a profile; returns the final state and the trace-equivalent event types. */
function run(kernel: KernelSetting, areas: { name: string; size: string; orderPerBit?: number }[], evs: SimEvent[], prep = (s: SimState) => s) {
  const { engine, violations } = world(prep(boot({ areas }, undefined, kernel)));
  const traced: string[] = [];
  engine.events$.subscribe((env) => { if (env.event.type.startsWith('trace.cma')) traced.push(env.event.type.slice(6)); });
  evs.forEach((e, i) => engine.inject(e, i));
  engine.run();
  expect(violations).to.deep.equal([]);
  return { m: engine.state.model, traced };
}

describe('models/kernel: profiles', () => {
  it('every profile names every field; a setting overrides single fields and names a bad one', () => {
    // reclaimThrottle, kswapd and backgroundWriteback are optional, absent meaning 'none', 'inline'
    // and 'per-run' (kept out of the other profiles' states): only 3.17 names them.
    const optional = ['reclaimThrottle', 'kswapd', 'backgroundWriteback'];
    const named = (v: KernelVersion) => Object.keys(PROFILES[v]).filter((k) => !optional.includes(k)).sort();
    for (const v of KERNEL_VERSIONS) expect(named(v)).to.deep.equal(named('6.18'));
    for (const v of KERNEL_VERSIONS) expect(PROFILES[v].reclaimThrottle).to.equal(v === '3.17' ? 'wait-iff-congested' : undefined);
    for (const v of KERNEL_VERSIONS) expect(PROFILES[v].kswapd).to.equal(v === '3.17' ? 'thread' : undefined);
    for (const v of KERNEL_VERSIONS) expect(PROFILES[v].backgroundWriteback).to.equal(v === '3.17' ? 'oldest-inodes' : undefined);
    expect(resolveKernel({ version: '6.1', lockMode: 'per-area' })).to.deep.include({ version: '6.1', lockMode: 'per-area', traceFormat: '6.1' });
    expect(resolveKernel(undefined).version).to.equal('6.18');
    expect(() => resolveKernel('6.2')).to.throw(/^kernel: expected one of series, 3\.5, .*got "6\.2"/);
    expect(() => resolveKernel({ version: '6.1', lockMod: 'x' })).to.throw(/^kernel: unknown profile field 'lockMod'/);
    expect(() => resolveKernel({ pinTarget: 'zone' })).to.throw(/^kernel\.pinTarget: expected one of "none", "movable", "unmovable"/);
    expect(profileForRelease('6.1.0-56-arm64')).to.equal('6.1');
    expect(profileForRelease('6.13.2')).to.equal('6.12');
    expect(profileForRelease('3.4')).to.equal(null);
  });

  it('lockMode: 6.12 serialises alloc_contig_range of two areas on cma_mutex, 6.18 takes per-area alloc_mutex (mm/cma.c cma_range_alloc)', () => {
    const ends = (k: string) => {
      const { m } = run(k, [{ name: 'a', size: '4M' }, { name: 'b', size: '4M' }], [req({ area: 'a', count: 512 }), req({ area: 'b', count: 512 })]);
      return [m.cma.requests[1].finishedAt!, m.cma.requests[2].finishedAt!];
    };
    const [a12, b12] = ends('6.12');
    const [a18, b18] = ends('6.18');
    expect(b12 - a12).to.be.above(0); // b waited for cma_mutex
    expect(b18 - a18).to.be.below(b12 - a12); // only the 1 ns injection offset
  });

  it('defaultAllocator: an area that names no allocator gets the series\' first registered one, best-fit (2010 mm/cma.c __cma_allocator_find with no name; mm/cma-best-fit.c), and mainline\'s bitmap (mm/cma.c) in 6.1', () => {
    const alloc = (k: string) => boot({ areas: [{ name: 'v', size: '4M' }] }, undefined, k).cma.areas.v.allocator;
    expect(alloc('series')).to.equal('best-fit');
    expect(alloc('6.1')).to.equal('bitmap');
    expect(boot({ areas: [{ name: 'v', size: '4M', allocator: 'first-fit' }] }, undefined, 'series').cma.areas.v.allocator).to.equal('first-fit');
  });

  it('isolation: before 5.19 alloc_contig_range isolates the range widened to MAX_ORDER_NR_PAGES (5.10 mm/page_alloc.c pfn_max_align_down/up), from 5.19 its own pageblocks (6.1 start_isolate_page_range)', () => {
    // A one-pageblock request at the start of a 4-pageblock area; a max-order block is 2 pageblocks.
    const mostIsolated = (k: KernelSetting) => {
      const { engine, violations } = world(boot({ areas: [{ name: 'v', size: '8M' }] }, { memory: '32M' }, k));
      let most = 0;
      engine.events$.subscribe(() => {
        most = Math.max(most, engine.state.model.memory.pageblocks.filter((pb) => pb.mt === 'ISOLATE').length);
      });
      engine.inject(req({ area: 'v', count: 512 }), 0);
      engine.run();
      expect(violations).to.deep.equal([]);
      expect(engine.state.model.cma.requests[1].status).to.equal('done');
      expect(engine.state.model.memory.pageblocks.some((pb) => pb.mt === 'ISOLATE')).to.equal(false);
      return most;
    };
    expect(mostIsolated('5.10')).to.equal(2);
    expect(mostIsolated('6.1')).to.equal(1);
    expect(mostIsolated({ version: '6.1', isolation: 'max-order' })).to.equal(2);
  });

  it('noAttemptErrno: a full area fails with -ENOMEM up to 6.14 (ret = -ENOMEM) and -EBUSY from 6.15 (cma_range_alloc ret = -EBUSY), mm/cma.c', () => {
    const errno = (k: string) => run(k, [{ name: 'v', size: '4M' }], [req({ area: 'v', count: 1024 }), req({ area: 'v', count: 1 })]).m.cma.requests[2].errno;
    expect(errno('6.12')).to.equal(ERRNO.ENOMEM);
    expect(errno('6.18')).to.equal(ERRNO.EBUSY);
  });

  it('oversize: a request larger than the area leaves no line in 5.10, start only in 6.1 (counted) and 6.12 (not counted), start + finish in 6.18 (mm/cma.c)', () => {
    const over = (k: string) => {
      const { m, traced } = run(k, [{ name: 'v', size: '4M' }], [req({ area: 'v', count: 2048 })]);
      return { traced, fail: m.cma.areas.v.counters.allocPagesFail, vm: m.cma.vmAllocFail, errno: m.cma.requests[1].errno };
    };
    expect(over('5.10')).to.deep.equal({ traced: [], fail: 0, vm: 0, errno: ERRNO.ENOMEM });
    expect(over('6.1')).to.deep.equal({ traced: ['cma_alloc_start'], fail: 2048, vm: 1, errno: ERRNO.ENOMEM });
    expect(over('6.12')).to.deep.equal({ traced: ['cma_alloc_start'], fail: 0, vm: 0, errno: ERRNO.ENOMEM });
    expect(over('6.18')).to.deep.equal({ traced: ['cma_alloc_start', 'cma_alloc_finish'], fail: 2048, vm: 1, errno: ERRNO.EBUSY });
  });

  it('availableEarlyStop: 6.18 stops without searching when count > available_count (mm/cma.c cma_range_alloc); with the field off it searches', () => {
    const search = (k: KernelSetting) => run(k, [{ name: 'v', size: '4M' }], [req({ area: 'v', count: 1 }), req({ area: 'v', count: 1024 })]).m.cma.requests[2].phases.search;
    expect(search('6.18')).to.equal(0);
    expect(search({ version: '6.18', availableEarlyStop: false })).to.be.above(0);
  });

  it('discardClean: 3.5 migrates clean page cache, 4.9 drops it (reclaim_clean_pages_from_list, mm/page_alloc.c 3.8+)', () => {
    const attempt = (k: string) => run(k, [{ name: 'v', size: '4M' }], [req({ area: 'v', count: 1024 })], (s) => fillPageCache(s, 4000)).m.cma.requests[1].attempts[0];
    const old = attempt('3.5'), newer = attempt('4.9');
    expect(old.dropped).to.equal(0);
    expect(old.migrated).to.be.above(0);
    expect(newer.dropped).to.be.above(0);
  });

  it('areaAlignment: a 2 MiB area is rounded to 8 MiB in 3.5, 4 MiB in 5.10 and kept at one pageblock in 6.1 (cma_declare_contiguous)', () => {
    const area = (k: string) => boot({ areas: [{ name: 'v', size: '2M' }] }, { memory: '64M' }, k).cma.areas.v;
    expect(area('3.5')).to.include({ count: 2048 });
    expect(area('3.5').basePfn % 2048).to.equal(0);
    expect(area('5.10')).to.include({ count: 1024 });
    expect(area('5.10').basePfn % 1024).to.equal(0);
    expect(area('6.1')).to.include({ count: 512 });
  });

  it('placement: 5.10 places an area top-down, 6.1 bottom-up from 4 GiB when RAM reaches 4 GiB + size (cma_declare_contiguous_nid)', () => {
    const machine = { banks: [{ name: 'lo', base: 0, size: '64M' }, { name: 'hi', base: '0x100000000', size: '64M' }] };
    const base = (k: string) => boot({ areas: [{ name: 'v', size: '16M' }] }, machine, k).cma.areas.v.basePfn * 4096;
    expect(base('5.10')).to.equal(2 ** 32 + 48 * 2 ** 20);
    expect(base('6.1')).to.equal(2 ** 32);
  });

  it('cmaFallback: with CMA over half the free memory 5.10 takes a CMA page first, 4.9 a movable one (__rmqueue, mm/page_alloc.c)', () => {
    const pfn = (k: string) => {
      const s = runChecked(simState({ memory: '16M', minFreeKbytes: 0 }, {}, [{ start: 1024, pages: 3072 }], k), [{ type: 'memory.alloc', id: 'x', kind: 'movable' }]).state;
      return allocPfn(s, 'x');
    };
    expect(pfn('5.10')).to.be.at.least(1024);
    expect(pfn('4.9')).to.be.below(1024);
  });

  it('cmaFallback: with the movable lists empty 3.5 takes the largest CMA block (CMA first in fallbacks[]), 4.9 the smallest (__rmqueue_cma_fallback)', () => {
    const pfn = (k: string) => {
      const fill: SimEvent[] = [0, 1, 2].map((i) => ({ type: 'memory.alloc', id: `m${i}`, kind: 'movable', order: i < 2 ? 10 : 9 }));
      const s = runChecked(simState({ memory: '16M', minFreeKbytes: 0 }, {}, [{ start: 2048, pages: 512 }, { start: 3072, pages: 1024 }], k),
        [...fill, { type: 'memory.alloc', id: 'x', kind: 'movable' }]).state;
      return allocPfn(s, 'x');
    };
    expect(pfn('3.5')).to.equal(3072);
    expect(pfn('4.9')).to.equal(2048);
  });

  it('pinTarget: a FOLL_LONGTERM pin stays in CMA in 4.9, moves to a movable page in 5.10 and to an unmovable one in 6.1 (mm/gup.c)', () => {
    const pinned = (k: string) => {
      const s = runChecked(simState({ memory: '16M', minFreeKbytes: 0, cmaFallback: 'first' }, {}, [{ start: 2048, pages: 1024 }], k), [
        { type: 'memory.alloc', id: 'buf', kind: 'movable' }, { type: 'page.pin', id: 'lt', alloc: 'buf', index: 0, longterm: true },
      ]).state;
      const pfn = shardGet<{ pfn: number }>(s.memory.pins, 'lt')!.pfn;
      return migratetypeOf(s, pfn);
    };
    expect(pinned('4.9')).to.equal('CMA');
    expect(pinned('5.10')).to.equal('MOVABLE');
    expect(pinned('6.1')).to.equal('UNMOVABLE');
  });

  it('a FOLL_LONGTERM pin of a CMA page under writeback waits for it and migrates the page; it does not fail (mm/gup.c, MIGRATE_SYNC)', () => {
    const s = runChecked(simState({ memory: '16M', minFreeKbytes: 0, cmaFallback: 'first' }, { writebackPerPageNs: 1e9 }, [{ start: 2048, pages: 1024 }], '6.1'), [
      { type: 'pagecache.fault', file: 'f', index: 0, count: 4 },
      { type: 'pagecache.dirty', file: 'f', index: 0, count: 4 },
      { type: 'pagecache.writeback.start', file: 'f', index: 0, count: 4 },
      { type: 'page.pin', id: 'lt', file: 'f', index: 1, longterm: true },
    ], { until: 10 }).state; // writeback takes 1 s a page: still under way
    const pfn = shardGet<{ pfn: number }>(s.memory.pins, 'lt')!.pfn;
    expect(pfn).to.be.at.least(0);
    expect(migratetypeOf(s, pfn)).to.equal('UNMOVABLE');
  });

  it('skipCma: direct reclaim passes over CMA pages in 6.6 only (mm/vmscan.c, 6.5 until its 6.11 revert)', () => {
    const fails = (k: string) => {
      const full = runChecked(simState({ memory: '16M', minFreeKbytes: 0, cmaFallback: 'first' }, {}, [{ start: 2048, pages: 1024 }], k), [
        { type: 'pagecache.fault', file: 'cma', index: 0, count: 1024 }, { type: 'pagecache.fault', file: 'rest', index: 0, count: 3072 },
      ]).state;
      const kmem = Array.from({ length: 10 }, (_, i): SimEvent => ({ type: 'memory.alloc', id: `k${i}`, kind: 'unmovable' }));
      return runChecked(full, kmem).emitted.some((e) => e.type === 'memory.alloc.failed');
    };
    expect(fails('6.6')).to.equal(false);
    expect(fails('6.1')).to.equal(true);
  });
});
