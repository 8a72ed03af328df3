import { expect } from 'chai';
import { nearestRank } from '../../../lib/text/percentile.ts';

describe('report/percentile nearestRank', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('returns the value at rank ceil(p/100*n), never interpolating', () => {
    expect(nearestRank(ten, 50)).to.equal(5);
    expect(nearestRank(ten, 90)).to.equal(9); // 0.9*10 must not round up to rank 10
    expect(nearestRank(ten, 91)).to.equal(10);
    expect(nearestRank(ten, 99)).to.equal(10);
    expect(nearestRank(ten, 100)).to.equal(10);
    expect(nearestRank([7], 50)).to.equal(7);
    expect(nearestRank([10, 20, 30, 40], 50)).to.equal(20);
  });

  it('is null for no data and refuses p outside (0, 100]', () => {
    expect(nearestRank([], 50)).to.equal(null);
    expect(() => nearestRank(ten, 0)).to.throw(RangeError, /\(0, 100\]/);
    expect(() => nearestRank(ten, 101)).to.throw(RangeError);
  });
});
