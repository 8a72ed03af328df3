import { expect } from 'chai';
import { distribution } from '../../../lib/trace/ratioDistribution.ts';

describe('distribution', () => {
  it('nearest-rank percentiles and the geometric mean of ratios', () => {
    const d = distribution([4, 1, 0.25, 1, 1, 1, 1, 1, 1, 1]);
    expect(d).to.deep.include({ n: 10, min: 0.25, p10: 0.25, p50: 1, p90: 1, p99: 4, max: 4 });
    expect(d.geomean).to.be.closeTo(1, 1e-12);
  });

  it('is empty-safe, and has no geometric mean with a zero ratio', () => {
    expect(distribution([])).to.deep.equal({ n: 0, min: null, p10: null, p50: null, p90: null, p99: null, max: null, geomean: null });
    expect(distribution([0, 2]).geomean).to.equal(null);
  });
});
