import { expect } from 'chai';
import { createCmaState } from '../../../models/cma/createCmaState.ts';
import { createMemoryState } from '../../../models/memory/createMemoryState.ts';
import { pageState } from '../../../models/mm/contig.ts';
import { debugfsOf } from '../../../models/cma/stats.ts';
import { boot, req, world } from './world.ts';

const mem = () => createMemoryState({ banks: [{ name: 'bank0', base: 0, size: '32M' }, { name: 'bank1', base: '0x10000000', size: '32M' }] });

describe('models/cma/createCmaState', () => {
  it('places areas top-down inside their bank and reserves them as MIGRATE_CMA or private', () => {
    const { cma, memory } = createCmaState({
      areas: [
        { name: 'a', size: '4M', bank: 'bank0' },
        { name: 'b', size: '2M', bank: 'bank0', private: true },
        { name: 'c', size: '4M', base: '0x10200000' },
      ],
    }, mem());
    expect(cma.areas.a).to.include({ basePfn: (32 - 4) * 256, count: 1024, shared: true, bank: 'bank0' });
    expect(cma.areas.b).to.include({ basePfn: (32 - 6) * 256, count: 512, shared: false });
    expect(cma.areas.c).to.include({ basePfn: 0x10200, bank: 'bank1' });
    expect(pageState(memory, cma.areas.a.basePfn).migratetype).to.equal('CMA');
    expect(pageState(memory, cma.areas.b.basePfn).kind).to.equal('reserved');
    expect(cma.lockMode).to.equal('per-area');
  });

  it('honours allocRange / range and alignment', () => {
    const { cma } = createCmaState({ areas: [{ name: 'a', size: '2M', range: [0, '16M'], alignment: '8M' }] }, mem());
    expect(cma.areas.a.basePfn).to.equal(8 * 256);
  });

  it('refuses more areas than CMA_AREAS, naming the area over the cap', () => {
    const areas = Array.from({ length: 3 }, (_, i) => ({ name: `x${i}`, size: '2M' }));
    expect(() => createCmaState({ areasMax: 2, areas }, mem())).to.throw("cma.areas[2] 'x2': 3 areas declared but CMA_AREAS is 2");
    expect(() => createCmaState({ areas: Array.from({ length: 9 }, (_, i) => ({ name: `y${i}`, size: '2M' })) }, mem())).to.throw(/CMA_AREAS is 8/);
  });

  it('refuses overlapping and misaligned areas with the field named', () => {
    expect(() => createCmaState({ areas: [{ name: 'a', size: '4M', base: 0 }, { name: 'b', size: '2M', base: '2M' }] }, mem()))
      .to.throw(/cma\.areas\[1\] 'b'\.base: .* overlaps area 'a'/);
    expect(() => createCmaState({ areas: [{ name: 'a', size: '4M', base: '1M' }] }, mem())).to.throw(/'a'\.base: 0x100000 is not aligned to the pageblock size/);
    expect(() => createCmaState({ areas: [{ name: 'a', size: '3M' }] }, mem())).to.throw(/'a'\.size: .* not a positive multiple of the pageblock size/);
    expect(() => createCmaState({ areas: [{ name: 'a', size: '2M', bank: 'nope' }] }, mem())).to.throw(/'a'\.bank: no memory bank named "nope"/);
    expect(() => createCmaState({ areas: [{ name: 'a', size: '2M', allocator: 'magic' }] }, mem())).to.throw(/'a'\.allocator: unknown cma allocator 'magic'/);
    expect(() => createCmaState({ lockMode: 'fast' as never }, mem())).to.throw(/cma\.lockMode/);
    expect(() => createCmaState({ areas: [{ name: 'a', size: '64M' }] }, mem())).to.throw(/'a'\.size: no free/);
    expect(() => createCmaState({ costs: { lockHandof: 1 } }, mem())).to.throw(/cma\.costs\.lockHandof: unknown cost field/);
    expect(() => createCmaState({ defrag: 'always' as never }, mem())).to.throw(/cma\.defrag: expected one of off, manual, on-release/);
  });
});

// mm/hugetlb.c hugetlb_cma_reserve (6.10+) passes order_per_bit = HUGETLB_PAGE_ORDER, which on
// 64 KiB-page arm64 is above MAX_ORDER; mm/cma.c cma_declare_contiguous_nid bounds it only by
// "size should be aligned with order_per_bit" (-EINVAL otherwise).
describe('models/cma/createCmaState: order_per_bit as the kernel bounds it', () => {
  it('accepts orderPerBit above maxOrder; one bit covers 2^orderPerBit pages', () => {
    const { engine, violations } = world(boot({ areas: [{ name: 'huge', size: '64M', orderPerBit: 12 }] }, { memory: '128M' }));
    engine.inject(req({ area: 'huge', count: 4096 }), 0);
    engine.inject(req({ area: 'huge', count: 1 }), 1);
    engine.run();
    const m = engine.state.model;
    const base = m.cma.areas.huge.basePfn;
    const done = Object.values(m.cma.requests).map((r) => [r.status, r.pfn === null ? null : r.pfn - base]);
    // The one-page request still takes a whole bit: it starts at the next 4096-page boundary.
    expect(done).to.deep.equal([['done', 0], ['done', 4096]]);
    // debugfs `used` counts bits times pages per bit (6.18 reads count - available: 4096 + 1 pages).
    expect(debugfsOf(m.cma, 'huge').order_per_bit).to.equal(12);
    expect(violations).to.deep.equal([]);
  });

  it('refuses a size that is not a whole number of bits, naming the field', () => {
    expect(() => createCmaState({ areas: [{ name: 'huge', size: '6M', orderPerBit: 11 }] }, mem()))
      .to.throw("cma.areas[0] 'huge'.orderPerBit: the area's 1536 pages are not a multiple of 2^11 pages per bit (the kernel refuses it with -EINVAL)");
  });
});
