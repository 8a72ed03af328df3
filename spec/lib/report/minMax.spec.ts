import { expect } from 'chai';
import { latencyBins } from '../../../lib/report/htmlReport.ts';
import { maxOf, minOf } from '../../../lib/report/minMax.ts';

describe('report/minMax', () => {
  it('handles arrays too long for Math.max(...xs), and empty ones', () => {
    const big = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_007);
    expect(() => Math.max(...big)).to.throw(RangeError); // why minMax exists
    expect(maxOf(big)).to.equal(big.reduce((a, b) => (a > b ? a : b)));
    expect(minOf(big)).to.equal(big.reduce((a, b) => (a < b ? a : b)));
    expect(minOf([3, -2, 5])).to.equal(-2);
    expect(maxOf([])).to.equal(null);
    expect(latencyBins(big).reduce((n, b) => n + b.value, 0)).to.equal(big.length);
  });
});
