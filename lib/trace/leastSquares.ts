/**
 * Ordinary least squares y ≈ X·β by the normal equations (few regressors, so forming XᵀX is
 * fine), with the standard errors of β, the residual standard error and R².
 */
export interface FitResult {
  readonly coef: readonly number[];
  /** Standard error of each coefficient; NaN when n <= parameters. */
  readonly stderr: readonly number[];
  /** sqrt(RSS / (n - p)). */
  readonly rse: number;
  /** 1 - RSS / TSS (TSS around the mean of y); NaN when y is constant. */
  readonly r2: number;
  readonly n: number;
}

/** Inverse of a small symmetric positive-definite matrix by Gauss-Jordan with partial pivoting; null if singular. */
export function invert(m: readonly (readonly number[])[]): number[][] | null {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...m.flat().map(Math.abs), 1e-300);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    if (Math.abs(a[p][c]) <= scale * 1e-12) return null;
    [a[c], a[p]] = [a[p], a[c]];
    const d = a[c][c];
    for (let k = 0; k < 2 * n; k++) a[c][k] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      if (f !== 0) for (let k = 0; k < 2 * n; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row) => row.slice(n));
}

/** null when the regressors are collinear (e.g. a column that never varies next to the intercept). */
export function leastSquares(x: readonly (readonly number[])[], y: readonly number[]): FitResult | null {
  const n = y.length;
  const p = x[0]?.length ?? 0;
  if (n === 0 || p === 0 || n < p) return null;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const row = x[i];
    for (let j = 0; j < p; j++) {
      xty[j] += row[j] * y[i];
      for (let k = 0; k < p; k++) xtx[j][k] += row[j] * row[k];
    }
  }
  const inv = invert(xtx);
  if (!inv) return null;
  const coef = inv.map((row) => row.reduce((s, v, k) => s + v * xty[k], 0));
  let rss = 0;
  let mean = 0;
  for (const v of y) mean += v / n;
  let tss = 0;
  for (let i = 0; i < n; i++) {
    const fit = x[i].reduce((s, v, k) => s + v * coef[k], 0);
    rss += (y[i] - fit) ** 2;
    tss += (y[i] - mean) ** 2;
  }
  const dof = n - p;
  const sigma2 = dof > 0 ? rss / dof : NaN;
  return {
    coef,
    stderr: inv.map((row, j) => Math.sqrt(sigma2 * row[j])),
    rse: Math.sqrt(sigma2),
    r2: tss > 0 ? 1 - rss / tss : NaN,
    n,
  };
}
