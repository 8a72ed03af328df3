import { expect } from 'chai';
import { bestFitAllocator as bf, placeInHole } from '../../../../models/cma/allocators/bestFit.ts';
import type { AreaGeometry } from '../../../../models/cma/allocators/allocator.ts';

const geo = (basePfn: number, count: number): AreaGeometry => ({ name: 'bf', basePfn, count, orderPerBit: 0 });
const holes = (s: ReturnType<typeof bf.init>): number[][] => s.holes.map((h) => [h.start, h.start + h.size]);

describe('models/cma/allocators/bestFit', () => {
  // Placement rules of __cma_bf_hole_take in mm/cma-best-fit.c (2010 series).
  it('places the chunk inside a hole by the series rules', () => {
    expect(placeInHole(0, 100, 100, 1)).to.equal(0); // whole hole
    expect(placeInHole(0, 100, 10, 4)).to.equal(0); // aligned start is the hole start
    expect(placeInHole(1, 14, 10, 4)).to.equal(4); // ends exactly at the hole end
    expect(placeInHole(1, 102, 10, 4)).to.equal(92); // space after is 88 = 22 * 4: moved to the end
    expect(placeInHole(1, 100, 10, 4)).to.equal(4); // space after is 86: stays, a tail hole is cut
    expect(placeInHole(1, 12, 10, 4)).to.equal(null);
  });

  it('takes the smallest hole that fits after alignment', () => {
    const g = geo(0, 200);
    let s = bf.init(g, {});
    // Carve holes of 50 @0, 20 @60, 30 @90, and 70 @130 (chunks in between).
    for (const [p, n] of [[50, 10], [80, 10], [120, 10]]) s = bf.reserve(s, g, p, n);
    expect(holes(s)).to.deep.equal([[0, 50], [60, 80], [90, 120], [130, 200]]);
    expect(bf.find(s, g, 15, 0, 0, [])!.pfn).to.equal(60);
    expect(bf.find(s, g, 25, 0, 0, [])!.pfn).to.equal(90);
    // 20 pages aligned to 16: the 20-hole [60, 80) cannot (aligned start 64), the 30-hole can (96).
    expect(bf.find(s, g, 20, 4, 0, [])!.pfn).to.equal(96);
  });

  it('prefers the most recently inserted among equal holes', () => {
    const g = geo(0, 100);
    let s = bf.init(g, {});
    for (const p of [10, 30, 50]) s = bf.reserve(s, g, p, 10);
    // Holes [0,10) [20,30) [40,50) [60,100); the 10-holes were re-keyed in order 0, 20, 40.
    expect(bf.find(s, g, 10, 0, 0, [])!.pfn).to.equal(40);
    s = bf.reserve(s, g, 40, 10);
    expect(bf.find(s, g, 10, 0, 0, [])!.pfn).to.equal(20);
  });

  it('merges a freed chunk with both neighbours', () => {
    const g = geo(0, 100);
    let s = bf.init(g, {});
    s = bf.reserve(s, g, 0, 30);
    s = bf.reserve(s, g, 30, 30);
    s = bf.reserve(s, g, 60, 10);
    s = bf.unreserve(s, g, 0, 30);
    expect(holes(s)).to.deep.equal([[0, 30], [70, 100]]);
    s = bf.unreserve(s, g, 60, 10);
    expect(holes(s)).to.deep.equal([[0, 30], [60, 100]]);
    s = bf.unreserve(s, g, 30, 30);
    expect(holes(s)).to.deep.equal([[0, 100]]);
    expect(bf.usedPages(s, g)).to.equal(0);
  });

  it('cuts a tail hole when the chunk stays in the middle', () => {
    const g = geo(1, 99);
    let s = bf.init(g, {});
    const c = bf.find(s, g, 10, 2, 0, [])!;
    expect(c.pfn).to.equal(4);
    s = bf.reserve(s, g, c.pfn, 10);
    expect(holes(s)).to.deep.equal([[1, 4], [14, 100]]);
  });

  it('skips ranges that were busy earlier in the same request', () => {
    const g = geo(0, 100);
    const s = bf.init(g, {});
    expect(bf.find(s, g, 10, 0, 0, [0, 10])!.pfn).to.equal(10);
    expect(bf.find(s, g, 10, 0, 0, [0, 95])).to.equal(null);
  });
});
