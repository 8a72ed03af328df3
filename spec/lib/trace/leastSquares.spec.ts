import { expect } from 'chai';
import { invert, leastSquares } from '../../../lib/trace/leastSquares.ts';

describe('leastSquares', () => {
  it('recovers exact coefficients from noiseless data, with zero residual and R² = 1', () => {
    const x = [[1, 0, 5], [1, 1, 3], [1, 2, 8], [1, 3, 1], [1, 4, 4]];
    const y = x.map(([, a, b]) => 7 + 2 * a - 3 * b);
    const r = leastSquares(x, y)!;
    r.coef.forEach((c, i) => expect(c).to.be.closeTo([7, 2, -3][i], 1e-9));
    expect(r.rse).to.be.closeTo(0, 1e-9);
    expect(r.r2).to.be.closeTo(1, 1e-12);
  });

  it('matches the closed form of simple regression (slope, its standard error, R²)', () => {
    const xs = [1, 2, 3, 4, 5, 6];
    const ys = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2];
    const r = leastSquares(xs.map((v) => [1, v]), ys)!;
    const mx = 3.5;
    const my = ys.reduce((a, b) => a + b) / 6;
    const sxx = xs.reduce((a, v) => a + (v - mx) ** 2, 0);
    const b = xs.reduce((a, v, i) => a + (v - mx) * (ys[i] - my), 0) / sxx;
    const a0 = my - b * mx;
    const rss = xs.reduce((a, v, i) => a + (ys[i] - a0 - b * v) ** 2, 0);
    const tss = ys.reduce((a, v) => a + (v - my) ** 2, 0);
    expect(r.coef[1]).to.be.closeTo(b, 1e-12);
    expect(r.coef[0]).to.be.closeTo(a0, 1e-12);
    expect(r.stderr[1]).to.be.closeTo(Math.sqrt(rss / 4 / sxx), 1e-12);
    expect(r.rse).to.be.closeTo(Math.sqrt(rss / 4), 1e-12);
    expect(r.r2).to.be.closeTo(1 - rss / tss, 1e-12);
  });

  it('returns null for collinear regressors and for too few samples', () => {
    expect(leastSquares([[1, 32], [1, 32], [1, 32]], [1, 2, 3])).to.equal(null);
    expect(leastSquares([[1, 2]], [1])).to.equal(null);
    expect(invert([[1, 2], [2, 4]])).to.equal(null);
  });
});
