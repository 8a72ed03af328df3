import { expect } from 'chai';
import { createCmaState } from '../../../models/cma/createCmaState.ts';
import { createMemoryState } from '../../../models/memory/createMemoryState.ts';
import { pageState } from '../../../models/memory/contig.ts';

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
