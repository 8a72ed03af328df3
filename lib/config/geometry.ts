import type { PageGeometry } from './types.ts';

export const DEFAULT_GEOMETRY: PageGeometry = { pageSize: 4096, pageblockOrder: 9, cmaAlignOrder: 9 };

export function geometryOf(opts: Partial<PageGeometry> | undefined): PageGeometry {
  const pageSize = opts?.pageSize ?? DEFAULT_GEOMETRY.pageSize;
  const pageblockOrder = opts?.pageblockOrder ?? DEFAULT_GEOMETRY.pageblockOrder;
  const cmaAlignOrder = opts?.cmaAlignOrder ?? pageblockOrder;
  if (!isPowerOfTwo(pageSize)) throw new RangeError(`pageSize must be a power of two, got ${pageSize}`);
  for (const [k, v] of [['pageblockOrder', pageblockOrder], ['cmaAlignOrder', cmaAlignOrder]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 30) throw new RangeError(`${k} must be an integer in 0..30, got ${v}`);
  }
  return { pageSize, pageblockOrder, cmaAlignOrder };
}

/** CMA_MIN_ALIGNMENT_BYTES: PAGE_SIZE << cmaAlignOrder (a pageblock on current kernels). */
export function cmaMinAlignment(g: PageGeometry): number {
  return g.pageSize * 2 ** g.cmaAlignOrder;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** ALIGN(x, a) for a power of two a, exact on integers above 2^32 too. */
export function alignUp(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

export function alignDown(x: number, a: number): number {
  return Math.floor(x / a) * a;
}

export function isAligned(x: number, a: number): boolean {
  return x % a === 0;
}
