import { expect } from 'chai';
import { regionFirstFit, regionFreePages, regionGive, regionTake } from '../../../models/devices/privateRegion.ts';
import type { PrivateRegion } from '../../../models/devices/state.ts';

describe('models/devices/privateRegion (viafb: the driver\'s memory, CMA as allocator)', () => {
  const r: PrivateRegion = { name: 'vram', owner: 'viafb', basePfn: 1001, count: 64, used: [] };

  it('first fit honours the pfn alignment of an unaligned base', () => {
    // base pfn 1001: the first 8-aligned pfn is 1008, offset 7.
    expect(regionFirstFit(r, 8, 3)).to.equal(7);
    expect(regionFirstFit(r, 8, 0)).to.equal(0);
  });

  it('takes, skips taken runs, refuses what does not fit, and gives back', () => {
    let s = regionTake(r, 0, 20);
    expect(regionFirstFit(s, 10, 0)).to.equal(20);
    s = regionTake(s, 30, 30);
    expect(regionFirstFit(s, 11, 0)).to.equal(null);
    expect(regionFreePages(s)).to.equal(14);
    s = regionGive(s, 0, 20);
    expect(regionFirstFit(s, 11, 0)).to.equal(0);
    expect(s.used).to.deep.equal([30, 60]);
  });
});
