import { expect } from 'chai';
import { addRun } from '../../../../models/cma/extents.ts';
import { alignedMask, alignedOffset, bitmapMaxno, findNextZeroAreaOff, pagesToBits } from '../../../../models/cma/allocators/bitmapMath.ts';

/** A literal bitmap version of lib/bitmap.c's bitmap_find_next_zero_area_off, to compare against. */
function naive(bits: boolean[], size: number, start: number, nr: number, mask: number, offset: number): number {
  for (;;) {
    let index = start;
    while (index < size && bits[index]) index++;
    index = Math.floor((index + offset + mask) / (mask + 1)) * (mask + 1) - offset;
    const end = index + nr;
    if (end > size) return end;
    let i = index;
    while (i < end && !bits[i]) i++;
    if (i >= end) return index;
    start = i + 1;
  }
}

describe('models/cma/allocators/bitmapMath', () => {
  // mm/cma.c cma_bitmap_aligned_mask / _offset / _pages_to_bits / _maxno (reference §2 step 3).
  it('computes mask, offset, bits and maxno as mm/cma.c does', () => {
    expect(alignedMask(0, 0)).to.equal(0);
    expect(alignedMask(2, 2)).to.equal(0); // align no coarser than a bit
    expect(alignedMask(2, 4)).to.equal(3);
    expect(alignedMask(0, 9)).to.equal(511);
    expect(alignedOffset(0x103, 0, 2)).to.equal(3);
    expect(alignedOffset(0x103, 1, 3)).to.equal(1); // (0x103 & 7) >> 1
    expect(alignedOffset(0x1000, 2, 4)).to.equal(0);
    expect(pagesToBits(2, 5)).to.equal(2);
    expect(pagesToBits(0, 5)).to.equal(5);
    expect(bitmapMaxno(1030, 2)).to.equal(257);
  });

  it('finds the first aligned zero run, compensating the offset', () => {
    // 16 bits, bits 0..2 set; need 4 bits with (index + 1) % 4 === 0 => index 3.
    expect(findNextZeroAreaOff([0, 3], 16, 0, 4, 3, 1)).to.equal(3);
    // A set bit inside the aligned window pushes the search past it.
    expect(findNextZeroAreaOff([5, 6], 16, 1, 4, 3, 0)).to.equal(8);
    // Nothing fits: the returned value is >= size.
    expect(findNextZeroAreaOff([0, 16], 16, 0, 1, 0, 0)).to.be.at.least(16);
    expect(findNextZeroAreaOff([], 16, 13, 4, 0, 0)).to.be.at.least(16);
  });

  it('agrees with a literal bitmap implementation on random bitmaps', () => {
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let t = 0; t < 400; t++) {
      const size = 1 + rnd(200);
      const bits = new Array<boolean>(size).fill(false);
      let ext: number[] = [];
      for (let k = rnd(8); k > 0; k--) {
        const s = rnd(size);
        const e = Math.min(size, s + 1 + rnd(20));
        ext = addRun(ext, s, e);
        for (let i = s; i < e; i++) bits[i] = true;
      }
      const start = rnd(size);
      const nr = 1 + rnd(30);
      const mask = 2 ** rnd(5) - 1;
      const offset = rnd(mask + 1);
      const want = naive(bits, size, start, nr, mask, offset);
      const got = findNextZeroAreaOff(ext, size, start, nr, mask, offset);
      if (want < size) expect(got, `case ${t}`).to.equal(want);
      else expect(got, `case ${t}`).to.be.at.least(size);
    }
  });
});
