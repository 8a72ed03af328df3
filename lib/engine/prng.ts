/**
 * sfc32: a small, fast 32-bit generator whose whole state is four uint32 words, so it can live
 * inside the (immutable, serialisable) simulation state and a restored state continues identically.
 */
export type RngState = readonly [number, number, number, number];

export function seedRng(seed: number): RngState {
  // splitmix32 spreads an arbitrary integer seed over the four words.
  let s = (seed >>> 0) ^ 0x9e3779b9;
  const next = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const st: [number, number, number, number] = [next(), next(), next(), next()];
  return st;
}

/** Mutable working copy used inside a batch; written back to the state when the batch commits. */
export class Rng {
  a: number; b: number; c: number; d: number;
  constructor(st: RngState) {
    [this.a, this.b, this.c, this.d] = st;
  }
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  next(): number {
    return this.nextU32() / 4294967296;
  }
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new RangeError(`randomInt: bad range [${lo}, ${hi}]`);
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  state(): RngState {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }
}
