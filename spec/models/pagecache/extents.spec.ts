import { expect } from 'chai';
import { extentAt, extentNextKey, extentPages, extentPfn, extentRunsIn, extentSet, extentWrite } from '../../../models/pagecache/extents.ts';

/** A small deterministic generator (xorshift), so a failure repeats. */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) % n;
  };
}

/** Map or unmap a random range of 64 keys in ch and in the per-index map naive; returns [i, pfn, n]. */
function randomSet(r: (n: number) => number, ch: number[], naive: number[]): [number, number, number] {
  const i = r(60), n = 1 + r(Math.min(8, 64 - i));
  // Pfns from a small range, so neighbouring writes often continue each other.
  const pfn = r(3) === 0 ? -1 : 100 + r(70);
  extentSet(ch, i, pfn, n);
  for (let j = 0; j < n; j++) naive[i + j] = pfn < 0 ? -1 : pfn + j;
  return [i, pfn, n];
}

describe('models/pagecache/extents', () => {
  it('maps and unmaps ranges as a per-index map would, keeping runs sorted, disjoint and maximal', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const ch: number[] = [];
      const naive = new Array<number>(64).fill(-1);
      for (let op = 0; op < 60; op++) {
        const [i, pfn, n] = randomSet(r, ch, naive);
        const where = `seed ${seed}, op ${op}: set(${i}, ${pfn}, ${n}) -> ${ch.join(',')}`;
        expect(naive.map((_, j) => extentPfn(ch, j)), where).to.deep.equal(naive);
        expect(extentPages(ch), where).to.equal(naive.filter((x) => x >= 0).length);
        for (let k = 3; k < ch.length; k += 3) {
          expect(ch[k - 3] + ch[k - 1] <= ch[k], `${where}: runs sorted and disjoint`).to.equal(true);
          const touches = ch[k - 3] + ch[k - 1] === ch[k] && ch[k - 2] + ch[k - 1] === ch[k + 1];
          expect(touches, `${where}: run ${k / 3} continues the one before`).to.equal(false);
        }
      }
    }
  });

  it('unmapping no keys inside a run leaves it whole (maximal)', () => {
    const ch = [0, 100, 10];
    extentSet(ch, 5, -1, 0);
    expect(ch).to.deep.equal([0, 100, 10]);
    const pairs = [0, 100, 200, 10];
    extentWrite(pairs, 2, 3, 0, -1);
    expect(pairs).to.deep.equal([0, 100, 200, 10]);
  });

  it('finds the next mapped key and the runs of a range as a per-index map would (reclaim steps over holes, handlers take runs)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const ch: number[] = [];
      const naive = new Array<number>(64).fill(-1);
      for (let op = 0; op < 30; op++) randomSet(r, ch, naive);
      for (let i = 0; i < 64; i++) expect(extentNextKey(ch, i), `seed ${seed}, next from ${i}`).to.equal(naive.findIndex((x, j) => j >= i && x >= 0));
      const from = r(40), to = from + r(24);
      const runs = extentRunsIn(ch, from, to);
      const pfns: number[] = [];
      for (let k = 0; k < runs.length; k += 2) for (let j = 0; j < runs[k + 1]; j++) pfns.push(runs[k] + j);
      expect(pfns, `seed ${seed}, runs of [${from}, ${to})`).to.deep.equal(naive.slice(from, to).filter((x) => x >= 0));
    }
  });

  it('maps keys to pairs of values (page-cache slots: file index and LRU position), runs joining only where both continue', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const ch: number[] = [];
      const naive = new Array<[number, number]>(64).fill([-1, -1]);
      for (let op = 0; op < 60; op++) {
        const i = r(60), n = 1 + r(Math.min(8, 64 - i));
        const v0 = r(3) === 0 ? -1 : r(40), v1 = 500 + r(3) * 10;
        extentWrite(ch, 2, i, n, v0, v1);
        for (let j = 0; j < n; j++) naive[i + j] = v0 < 0 ? [-1, -1] : [v0 + j, v1 + j];
        const where = `seed ${seed}, op ${op}: write(${i}, ${n}, ${v0}, ${v1}) -> ${ch.join(',')}`;
        expect(naive.map((_, j) => [extentAt(ch, j, 2, 0), extentAt(ch, j, 2, 1)]), where).to.deep.equal(naive);
        expect(extentPages(ch, 2), where).to.equal(naive.filter((x) => x[0] >= 0).length);
        for (let k = 4; k < ch.length; k += 4) {
          expect(ch[k - 4] + ch[k - 1] <= ch[k], `${where}: runs sorted and disjoint`).to.equal(true);
          const c = ch[k - 1];
          const touches = ch[k - 4] + c === ch[k] && ch[k - 3] + c === ch[k + 1] && ch[k - 2] + c === ch[k + 2];
          expect(touches, `${where}: run ${k / 4} continues the one before`).to.equal(false);
        }
      }
    }
  });

  it('keeps a readahead of consecutive pages as one run however it was written', () => {
    const once: number[] = [];
    extentSet(once, 32, 500, 32);
    const byPage: number[] = [];
    for (const j of [5, 0, 31, 7, 6, 1, 2, 3, 4, ...Array.from({ length: 23 }, (_, k) => 8 + k)]) extentSet(byPage, 32 + j, 500 + j, 1);
    expect(byPage).to.deep.equal(once);
    expect(once).to.deep.equal([32, 500, 32]);
    extentSet(once, 40, -1, 1);
    expect(once).to.deep.equal([32, 500, 8, 41, 509, 23]);
  });
});
