import { expect } from 'chai';
import { failedAttempt, release16k, threeAreas } from '../../examples/fidelity.ts';

// The scenarios behind the README's fidelity table: each must give the figure the table shows.
describe('examples/fidelity (model figures beside the reference §7 ones)', () => {
  it('releasing 16,384 pages takes about 1.4 ms (85 ns per page)', () => {
    expect(release16k()).to.equal(16_384 * 85);
  });

  it('a failed -EBUSY attempt costs tens of µs of modelled work', () => {
    expect(failedAttempt()).to.be.within(10_000, 100_000);
  });

  it("three areas under the global mutex finish about 1 : 2 : 3, as the published 7 : 14 : 21 s", function () {
    this.timeout(120_000);
    const g = threeAreas('global');
    expect(g[1] / g[0]).to.be.within(1.9, 2.1);
    expect(g[2] / g[0]).to.be.within(2.9, 3.1);
  });
});
