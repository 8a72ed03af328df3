import { expect } from 'chai';
import { newRegion, regionFind, regionFreePages, regionGive, regionTake } from '../../../models/devices/privateRegion.ts';

describe('models/devices/privateRegion (viafb: the driver\'s memory, CMA as allocator)', () => {
  const r = newRegion('vram', 'viafb', 1001, 64);

  it('honours the pfn alignment of an unaligned base', () => {
    // base pfn 1001: the first 8-aligned pfn is 1008, offset 7.
    expect(regionFind(r, 8, 3)).to.equal(7);
    expect(regionFind(r, 8, 0)).to.equal(0);
  });

  it('uses the series\' default allocator, best-fit (2010 mm/cma.c __cma_allocator_find: no name, the first allocator; mm/cma-best-fit.c): the smallest hole that fits, not the first', () => {
    // Holes [0, 10) and [20, 26) after taking [10, 20) and [26, 64): a 5-page request goes to the
    // 6-page hole, where first fit would have taken offset 0.
    let s = regionTake(regionTake(r, 10, 10), 26, 38);
    expect(regionFind(s, 5, 0)).to.equal(20);
    s = regionTake(s, 20, 5);
    expect(regionFreePages(s)).to.equal(11);
    expect(regionFind(s, 11, 0)).to.equal(null);
    s = regionGive(s, 10, 10);
    expect(regionFind(s, 11, 0)).to.equal(0);
    expect(regionFreePages(s)).to.equal(21);
  });
});
