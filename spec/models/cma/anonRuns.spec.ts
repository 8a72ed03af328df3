import { expect } from 'chai';
import { zoneCounters } from '../../../models/memory/queries.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import { boot, req, world } from './world.ts';

// Anonymous pages in a CMA area cannot be dropped: alloc_contig_range migrates them
// (__alloc_contig_migrate_range -> migrate_pages; reclaim_clean_pages_from_list takes only clean
// file pages, mm/page_alloc.c v3.17).
describe('models/cma: a process heap faulted in as a run of anonymous pages', () => {
  it('pages of the run that landed in the area are migrated out one by one, none dropped', () => {
    // 16 MiB with a 4 MiB area: 2,500 anonymous pages, some of them in CMA (6.18 takes CMA once it
    // holds more than half of the free pages), the rest of the area left free.
    const { engine, violations } = world(boot({ areas: [{ name: 'v', size: '4M' }] }, { memory: '16M' }));
    engine.inject({ type: 'memory.alloc', id: 'cc1', kind: 'movable', count: 2_500, owner: 'cc1' }, 0);
    engine.inject(req({ area: 'v', count: 512, align: 9 }), 1);
    engine.run();
    expect(violations).to.deep.equal([]);
    const r = engine.state.model.cma.requests[1] as RequestRecord;
    expect(r.status).to.equal('done');
    const moved = r.attempts.reduce((n, a) => n + a.migrated, 0);
    expect(moved).to.be.above(0);
    expect(r.attempts.reduce((n, a) => n + a.dropped, 0)).to.equal(0);
    // Every anonymous page is still allocated, now outside the range.
    expect(zoneCounters(engine.state.model).reduce((n, z) => n + z.anon, 0)).to.equal(2_500);
  });
});
