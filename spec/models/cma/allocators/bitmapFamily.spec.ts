import { expect } from 'chai';
import { bitmapAllocator, bitmapReserveAfterAllocator, firstFitAllocator } from '../../../../models/cma/allocators/bitmapFamily.ts';
import type { AreaGeometry } from '../../../../models/cma/allocators/allocator.ts';

const geo = (basePfn: number, count: number, orderPerBit: number): AreaGeometry => ({ name: 't', basePfn, count, orderPerBit });

describe('models/cma/allocators/bitmapFamily', () => {
  // Hand-computed placements of mainline cma_alloc (reference §2 steps 3-5).
  it('places an aligned request in an area with an unaligned base', () => {
    const g = geo(0x103, 1024, 0);
    const s = bitmapAllocator.init(g, {});
    // align order 2: offset = 0x103 & 3 = 3, first index with (index + 3) % 4 == 0 is 1 -> pfn 0x104.
    const c = bitmapAllocator.find(s, g, 8, 2, 0, []);
    expect(c).to.deep.equal({ pfn: 0x104, cursorNext: 1 + 3 + 1 });
    expect(c!.pfn % 4).to.equal(0);
  });

  it('rounds the count to whole bits with order_per_bit > 0 and applies the mask in bits', () => {
    const g = geo(0x1000, 64, 2); // 16 bits of 4 pages
    let s = bitmapAllocator.init(g, {});
    s = bitmapAllocator.reserve(s, g, 0x1000, 1); // 1 page still takes bit 0
    expect(s.used).to.deep.equal([0, 1]);
    expect(bitmapAllocator.usedPages(s, g)).to.equal(4);
    // 5 pages = 2 bits; align order 4 = 16 pages -> mask (1 << 2) - 1 = 3; first multiple of 4 free is bit 4.
    const c = bitmapAllocator.find(s, g, 5, 4, 0, []);
    expect(c).to.deep.equal({ pfn: 0x1000 + 16, cursorNext: 8 });
    // With the alignment no coarser than a bit the mask is 0: bit 1.
    expect(bitmapAllocator.find(s, g, 5, 1, 0, [])!.pfn).to.equal(0x1004);
  });

  it('retries forward from bitmap_no + mask + 1 and never wraps', () => {
    const g = geo(0, 64, 0);
    const s = bitmapAllocator.init(g, {});
    const first = bitmapAllocator.find(s, g, 16, 4, 0, [])!; // bitmap_no 0, mask 15
    expect(first).to.deep.equal({ pfn: 0, cursorNext: 16 });
    const second = bitmapAllocator.find(s, g, 16, 4, first.cursorNext, [])!;
    expect(second.pfn).to.equal(16);
    const last = bitmapAllocator.find(s, g, 16, 4, 48, [])!;
    expect(last).to.deep.equal({ pfn: 48, cursorNext: 64 });
    // Past the end: nothing, although [0, 48) is free.
    expect(bitmapAllocator.find(s, g, 16, 4, 64, [])).to.equal(null);
    expect(bitmapAllocator.find(s, g, 16, 0, 49, [])).to.equal(null);
  });

  it('ignores a trailing partial granule and refuses requests larger than the bitmap', () => {
    const g = geo(0, 10, 2); // maxno 2 bits = 8 pages usable
    const s = bitmapAllocator.init(g, {});
    expect(bitmapAllocator.find(s, g, 9, 0, 0, [])).to.equal(null);
    expect(bitmapAllocator.find(s, g, 8, 0, 0, [])!.pfn).to.equal(0);
    expect(bitmapAllocator.freeRuns(s, g)).to.deep.equal([0, 8]);
  });

  it('release clears exactly the bits of the chunk and views match debugfs', () => {
    const g = geo(0, 64, 0);
    let s = bitmapAllocator.init(g, {});
    s = bitmapAllocator.reserve(s, g, 0, 8);
    s = bitmapAllocator.reserve(s, g, 8, 8);
    s = bitmapAllocator.unreserve(s, g, 0, 8);
    expect(bitmapAllocator.bitmapWords(s, g)).to.deep.equal([0x0000ff00, 0]);
    expect(bitmapAllocator.freeRuns(s, g)).to.deep.equal([0, 8, 16, 64]);
  });

  it('first-fit pool uses min_alignment granules and absolute alignment (genalloc)', () => {
    const g = geo(0x200, 256, 0);
    let s = firstFitAllocator.init(g, { minAlignment: 4 });
    expect(firstFitAllocator.granule(s)).to.equal(16);
    s = firstFitAllocator.reserve(s, g, 0x200, 3); // one 16-page granule
    const c = firstFitAllocator.find(s, g, 20, 6, 0, [])!; // 2 granules, 64-page aligned
    expect(c.pfn).to.equal(0x240);
    expect(() => firstFitAllocator.init(geo(0x208, 256, 0), { minAlignment: 4 })).to.throw(/minAlignment/);
  });

  it('bitmap-reserve-after does not reserve at search (the teaching bug)', () => {
    expect(bitmapReserveAfterAllocator.reserveAtSearch).to.equal(false);
    expect(bitmapAllocator.reserveAtSearch).to.equal(true);
  });
});
