/** Extremes of arrays of any length (Math.max(...xs) throws past about 10^5 arguments). */
export function maxOf(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  let m = xs[0];
  for (const x of xs) if (x > m) m = x;
  return m;
}

export function minOf(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  let m = xs[0];
  for (const x of xs) if (x < m) m = x;
  return m;
}
