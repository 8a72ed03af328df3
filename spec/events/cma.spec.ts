import { expect } from 'chai';
import { validateEvent } from '../../events/index.ts';
import { boot, fillPageCache, firstPagecache, pinEvent, req, world } from '../models/cma/world.ts';

describe('events/cma', () => {
  it('every event the CMA model schedules (progress, notifications, traces) passes the schema', () => {
    const s = fillPageCache(boot({ defrag: 'on-release', areas: [{ name: 'v', size: '4M' }, { name: 'p', size: '2M', private: true }] }), 3_500);
    const base = s.cma.areas.v.basePfn;
    const { engine } = world(s, 1, false);
    const seen = new Set<string>();
    engine.events$.subscribe((e) => {
      seen.add(e.event.type);
      expect(validateEvent(e.event), JSON.stringify(e.event)).to.equal(null);
    });
    engine.inject(pinEvent(s, firstPagecache(s, base, base + 512), 'gup'), 0);
    engine.inject(req({ area: 'v', count: 512, align: 9 }), 0);
    engine.inject(req({ area: 'p', count: 64 }), 0);
    engine.inject(req({ area: 'p', count: 64 }), 0);
    engine.inject({ type: 'cma.release', chunk: 2 }, 50_000_000);
    engine.inject({ type: 'cma.pin', chunk: 3 }, 50_010_000);
    engine.inject({ type: 'cma.release', chunk: 3 }, 60_000_000);
    engine.run();
    expect([...seen]).to.include.members([
      'cma.lock.acquired', 'cma.search.done', 'cma.isolated', 'cma.migration', 'cma.attempt.failed', 'cma.finished',
      'cma.alloc.done', 'cma.release.freed', 'cma.release.done', 'cma.defrag', 'cma.defrag.move', 'cma.defrag.moved',
      'cma.pinned', 'cma.warning', 'trace.cma_alloc_start', 'trace.cma_alloc_busy_retry', 'trace.cma_alloc_finish',
      'trace.cma_release', 'trace.mm_migrate_pages_start', 'trace.mm_migrate_pages', 'trace.test_pages_isolated',
    ]);
  });

  it('rejects a malformed request naming the field', () => {
    expect(validateEvent({ type: 'cma.alloc.request', count: 1, align: 0, requester: 'x' })).to.equal("cma.alloc.request: missing field 'pid' (an integer)");
    expect(validateEvent({ type: 'cma.alloc.request', count: 1.5, align: 0, requester: 'x', pid: 1 })).to.equal("cma.alloc.request: field 'count' must be an integer, got 1.5");
    expect(validateEvent({ type: 'cma.pin' })).to.equal("cma.pin: missing field 'chunk' (an integer)");
  });
});
