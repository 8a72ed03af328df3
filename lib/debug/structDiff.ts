/** One difference between two states: the path, the value before and after (undefined: absent). */
export interface Change {
  readonly path: readonly (string | number)[];
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * The differences between two immutable states, found by walking both and skipping every subtree
 * they share by reference (immer shares whatever no event touched), so the cost follows what
 * changed, not the distance in events. Stops after `limit` changes; `truncated` says so.
 */
export function structDiff(a: unknown, b: unknown, limit = 200): { changes: Change[]; truncated: boolean } {
  const changes: Change[] = [];
  let truncated = false;
  const walk = (x: unknown, y: unknown, path: (string | number)[]): void => {
    if (x === y || truncated) return;
    const bothObjects = typeof x === 'object' && typeof y === 'object' && x !== null && y !== null && Array.isArray(x) === Array.isArray(y);
    if (!bothObjects) {
      if (changes.length >= limit) { truncated = true; return; }
      changes.push({ path: [...path], from: x, to: y });
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n && !truncated; i++) walk(x[i], y[i], [...path, i]);
      return;
    }
    const xo = x as Record<string, unknown>, yo = y as Record<string, unknown>;
    for (const k of Object.keys(xo)) if (!truncated) walk(xo[k], Object.prototype.hasOwnProperty.call(yo, k) ? yo[k] : undefined, [...path, k]);
    for (const k of Object.keys(yo)) if (!truncated && !Object.prototype.hasOwnProperty.call(xo, k)) walk(undefined, yo[k], [...path, k]);
  };
  walk(a, b, []);
  return { changes, truncated };
}
