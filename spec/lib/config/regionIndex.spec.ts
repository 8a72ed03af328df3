import { expect } from 'chai';
import { regionIndex } from '../../../lib/config/regionIndex.ts';
import type { OriginalRegion } from '../../../lib/config/types.ts';

describe('regionIndex', () => {
  const r = (name: string, size: number, start?: number): OriginalRegion => ({ name, size, alignment: 4096, ...(start !== undefined && { start }) });

  it('finds earlier names and the first-added region a placed one overlaps', () => {
    const ix = regionIndex();
    for (const x of [r('c', 0x3000, 0x8000), r('a', 0x1000, 0x1000), r('free', 0x1000), r('b', 0x1000, 0x4000)]) ix.add(x);
    expect(ix.indexOf('a')).to.equal(1);
    expect(ix.indexOf('free')).to.equal(2);
    expect(ix.indexOf('zz')).to.equal(-1);
    expect(ix.overlapping(r('x', 0x1000, 0x2000))).to.equal(undefined);
    expect(ix.overlapping(r('x', 0x1000))).to.equal(undefined);
    // Spans a, b and c: c was added first.
    expect(ix.overlapping(r('x', 0x9000, 0x1000))?.name).to.equal('c');
    expect(ix.overlapping(r('x', 0x1000, 0x4fff))?.name).to.equal('b');
    expect(ix.overlapping(r('x', 0x1000, 0xb000))).to.equal(undefined);
    expect(ix.overlapping(r('x', 0x1, 0xafff))?.name).to.equal('c');
  });
});
