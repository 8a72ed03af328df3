import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { createPageCacheState } from '../../../models/pagecache/createPageCacheState.ts';
import { DIRTY_BACKGROUND_RATIO, DIRTY_EXPIRE_NS, defaultWritebackPerPageNs } from '../../../models/pagecache/writeback.ts';
import { engineFor, runChecked, simState } from '../memory/sim.ts';

// 16 MiB = 4096 pages; min_free_kbytes 1024 => watermarks min 256, low 320, high 384 pages.
const machine = () => simState({ memory: '16M', minFreeKbytes: 1024 });
const fault = (file: string, index: number, count: number): SimEvent => ({ type: 'pagecache.fault', file, index, count });
const dirty = (file: string, index: number, count: number): SimEvent => ({ type: 'pagecache.dirty', file, index, count });
const at = (emitted: SimEvent[], type: string) => emitted.filter((e) => e.type === type);

describe('models/pagecache/writeback (the flusher)', () => {
  it('has the kernel defaults: dirty_expire_centisecs 3000, dirty_background_ratio 10, INIT_BW 100 MiB/s (mm/page-writeback.c, mm/backing-dev.c)', () => {
    expect(DIRTY_EXPIRE_NS).to.equal(3000 * 10_000_000);
    expect(DIRTY_BACKGROUND_RATIO).to.equal(10);
    // 100 << (20 - PAGE_SHIFT) pages per second: 25,600 pages of 4 KiB, 6,400 of 16 KiB.
    expect(defaultWritebackPerPageNs(4096)).to.equal(Math.round(1e9 / 25_600));
    expect(defaultWritebackPerPageNs(16384)).to.equal(Math.round(1e9 / 6_400));
    expect(machine().pagecache.config).to.include({ dirtyExpireNs: DIRTY_EXPIRE_NS, dirtyBackgroundRatio: 10, writebackPerPageNs: 39_063 });
  });

  it('writes a dirtied run back once it has been dirty for dirty_expire, by default', () => {
    const r = runChecked(machine(), [fault('a', 0, 64), dirty('a', 0, 64)], { until: DIRTY_EXPIRE_NS });
    expect(r.state.pagecache.counts).to.deep.equal({ nrPages: 64, nrDirty: 64, nrWriteback: 0 }); // dirtied at t=1: not expired yet
    r.engine.run({ until: DIRTY_EXPIRE_NS + 1 });
    expect(r.engine.state.model.pagecache.counts).to.deep.equal({ nrPages: 64, nrDirty: 0, nrWriteback: 64 });
    r.engine.run();
    expect(r.engine.state.model.pagecache.counts).to.deep.equal({ nrPages: 64, nrDirty: 0, nrWriteback: 0 });
    expect(r.engine.now).to.equal(1 + DIRTY_EXPIRE_NS + 64 * 39_063);
    expect(r.engine.state.model.pagecache.stats.writebacks).to.equal(64);
  });

  it('starts writeback at once when dirty pages exceed dirty_background_ratio of dirtyable memory', () => {
    // Dirtyable: free pages above the high watermark (384) plus file pages. After the fault,
    // 4096 - 2000 free and 2000 file pages: 3712 dirtyable, threshold 371 pages.
    const { emitted, engine } = runChecked(machine(), [fault('a', 0, 2000), dirty('a', 0, 300), dirty('a', 300, 100)], { until: 10 });
    const starts = at(emitted, 'pagecache.writeback.start');
    expect(starts).to.have.length(1);
    expect(starts[0]).to.include({ index: 300, count: 100 }); // the run that crossed 371 went at once
    expect(engine.state.model.pagecache.counts).to.include({ nrDirty: 300, nrWriteback: 100 });
  });

  it('writes queued runs one after another at the device bandwidth', () => {
    const s0 = simState({ memory: '16M', minFreeKbytes: 1024 }, { dirtyExpireNs: 1000, writebackPerPageNs: 100 });
    const { engine } = runChecked(s0, [fault('a', 0, 20), dirty('a', 0, 10), dirty('a', 10, 10)]);
    // Dirtied at t=1 and t=2, expiring at 1001 and 1002: the second run waits for the first.
    expect(engine.now).to.equal(1001 + 10 * 100 + 10 * 100);
    expect(engine.state.model.pagecache.writebackBusyUntil).to.equal(engine.now);
  });

  it('keeps dirty pages near the background threshold under sustained writes, so reclaim finds clean pages', () => {
    // A 32-page read and write every millisecond (128 MiB/s, faster than the device writes).
    const engine = engineFor(machine());
    for (let i = 0; i < 300; i++) {
      engine.inject(fault('f', i * 32, 32), i * 1e6);
      engine.inject(dirty('f', i * 32, 32), i * 1e6 + 1);
    }
    const emitted: SimEvent[] = [];
    engine.run({ until: 300e6, stopWhen: (env) => { emitted.push(env.event); return false; } });
    const state = engine.state.model;
    expect(at(emitted, 'pagecache.fault.failed')).to.deep.equal([]);
    expect(state.pagecache.stats.reclaimed).to.be.greaterThan(5000); // 9,600 pages read into 4,096
    expect(state.pagecache.counts.nrDirty).to.be.at.most(Math.ceil(0.1 * 4096) + 32);
  });

  it('can be switched off (null) and refuses a ratio above 100', () => {
    const off = createPageCacheState({ dirtyExpireNs: null, dirtyBackgroundRatio: null });
    expect(off.config).to.include({ dirtyExpireNs: null, dirtyBackgroundRatio: null });
    expect(() => createPageCacheState({ dirtyBackgroundRatio: 101 })).to.throw('pagecache.dirtyBackgroundRatio: expected a percentage 0..100, got 101');
    expect(() => createPageCacheState({ dirtyExpireNs: -1 })).to.throw('pagecache.dirtyExpireNs: expected a non-negative integer, got -1');
  });
});
