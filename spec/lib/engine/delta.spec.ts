import { expect } from 'chai';
import { produce } from 'immer';
import { applyDelta, applyDeltas, Delta, diff, mergeDeltas, Rng, seedRng } from '../../../lib/engine/index.ts';

type Json = null | boolean | number | string | undefined | Json[] | { [k: string]: Json };

/** A random plain-data tree, as model states are: records (some keyed by numbers), arrays, odd numbers. */
function tree(rng: Rng, depth: number): Json {
  const r = rng.next();
  if (depth === 0 || r < 0.3) return leaf(rng);
  if (r < 0.65) return Array.from({ length: rng.int(0, 6) }, () => tree(rng, depth - 1));
  const o: { [k: string]: Json } = {};
  for (let i = rng.int(0, 5); i > 0; i--) o[rng.next() < 0.5 ? String(rng.int(0, 9)) : `k${rng.int(0, 9)}`] = tree(rng, depth - 1);
  return o;
}

function leaf(rng: Rng): Json {
  return [0, -0, NaN, 1.5, 'a', '', null, undefined, true, rng.int(-5, 5)][rng.int(0, 9)] as Json;
}

/** Change a few places of `t` the way a reducer would (immer keeps the rest shared). */
function mutate(rng: Rng, t: Json): Json {
  if (t === null || typeof t !== 'object') return tree(rng, 2);
  return produce(t, (d: any) => {
    for (let n = rng.int(1, 3); n > 0; n--) {
      let cur = d;
      for (let depth = 0; depth < 4; depth++) {
        const keys = Object.keys(cur);
        if (keys.length === 0) break;
        const next = cur[keys[rng.int(0, keys.length - 1)]];
        if (next === null || typeof next !== 'object' || rng.next() < 0.3) break;
        cur = next;
      }
      const keys = Object.keys(cur);
      const op = rng.int(0, 4);
      if (Array.isArray(cur)) {
        if (op === 0) cur.push(tree(rng, 1));
        else if (op === 1 && cur.length > 0) cur.pop();
        else if (op === 2 && cur.length > 0) cur.splice(rng.int(0, cur.length - 1), 1);
        else if (cur.length > 0) cur[rng.int(0, cur.length - 1)] = op === 3 ? leaf(rng) : tree(rng, 2);
      } else if (op === 0 || keys.length === 0) cur[`n${rng.int(0, 20)}`] = tree(rng, 1);
      else if (op === 1) delete cur[keys[rng.int(0, keys.length - 1)]];
      else if (op === 2) { const k = keys[rng.int(0, keys.length - 1)]; const v = cur[k]; delete cur[k]; cur[k] = v; } // same keys, new order
      else cur[keys[rng.int(0, keys.length - 1)]] = op === 3 ? leaf(rng) : tree(rng, 2);
    }
  });
}

/** Equal as model states must be: same shape, key order, -0 and NaN, undefined-valued keys. */
function same(a: unknown, b: unknown, path = '$'): void {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    expect(Object.is(a, b), `${path}: ${String(a)} vs ${String(b)}`).to.equal(true);
    return;
  }
  expect(Array.isArray(a), path).to.equal(Array.isArray(b));
  expect(Object.keys(a), path).to.deep.equal(Object.keys(b));
  for (const k of Object.keys(b)) same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
}

function deepFrozen(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Object.isFrozen(v) && Object.values(v).every(deepFrozen);
}

describe('engine: snapshot deltas', () => {
  it('applyDelta(a, diff(a, b)) rebuilds b exactly, frozen (property, 400 random trees and edits)', () => {
    const rng = new Rng(seedRng(5));
    for (let i = 0; i < 400; i++) {
      const a = produce({ root: tree(rng, 4) }, () => {});
      let b = a;
      for (let n = rng.int(1, 4); n > 0; n--) b = mutate(rng, b) as typeof a;
      const back = applyDelta(a, diff(a, b));
      same(back, b);
      expect(deepFrozen(back), `case ${i}`).to.equal(true);
    }
  });

  it('keeps what did not change shared with the base, and keeps nothing for identical states', () => {
    const a = produce({ big: Array.from({ length: 512 }, (_, i) => i), other: { x: [1, 2, 3] } }, () => {});
    const b = produce(a, (d) => { d.big[7] = -1; });
    const d = diff(a, b)!;
    expect(d.keys).to.deep.equal(['big']);
    const inner = d.vals[0] as Delta;
    expect(inner.size).to.equal(1); // one entry, not the 512-entry copy
    expect([inner.packed.keys[inner.numFrom], inner.packed.vals[inner.numFrom]]).to.deep.equal([7, -1]);
    const back = applyDelta(a, d);
    expect(back.other).to.equal(a.other);
    expect(diff(a, a)).to.equal(null);
    expect(applyDelta(a, null)).to.equal(a);
  });

  it('mergeDeltas(diff(x0, x1), diff(x1, x2)) takes x0 to x2 (property, chains of up to 6)', () => {
    const rng = new Rng(seedRng(9));
    for (let i = 0; i < 300; i++) {
      const xs = [produce({ root: tree(rng, 4) }, () => {})];
      for (let n = rng.int(2, 6); n > 0; n--) xs.push(mutate(rng, xs[xs.length - 1]) as (typeof xs)[0]);
      let m = diff(xs[0], xs[1]);
      for (let j = 2; j < xs.length; j++) m = mergeDeltas(m, diff(xs[j - 1], xs[j]));
      same(applyDelta(xs[0], m), xs[xs.length - 1]);
    }
  });

  it('applyDeltas over a chain equals applying each in turn, frozen, and leaves every base untouched (property)', () => {
    const rng = new Rng(seedRng(13));
    for (let i = 0; i < 300; i++) {
      const xs = [produce({ root: tree(rng, 4) }, () => {})];
      for (let n = rng.int(1, 7); n > 0; n--) xs.push(mutate(rng, xs[xs.length - 1]) as (typeof xs)[0]);
      const before = xs.map((x) => JSON.stringify(x));
      const ds = xs.slice(1).map((x, j) => diff(xs[j], x)).filter((d): d is Delta => d !== null);
      const out = applyDeltas(xs[0], ds);
      same(out, xs[xs.length - 1]);
      expect(deepFrozen(out), `case ${i}`).to.equal(true);
      expect(xs.map((x) => JSON.stringify(x))).to.deep.equal(before);
    }
  });

  it('keeps a rewritten small record or an array whose entries all moved as the new value, not entry by entry', () => {
    // The 16 GiB memory history's I/O queues: records { op, index, count, doneAt } in arrays that
    // drop their first entry. Entry by entry each record costs a delta node; the new array costs less.
    const run = (i: number) => ({ op: 'write', index: 32 * i, count: 32, doneAt: 1000 + i });
    const a = produce({ io: { f: Array.from({ length: 100 }, (_, i) => run(i)) }, pages: Array.from({ length: 512 }, () => 0) }, () => {});
    const b = produce(a, (d) => { d.io.f.shift(); d.pages[3] = 7; });
    const d = diff(a, b)!;
    expect(d.vals[d.keys.indexOf('io')]).to.equal(b.io); // the new queue itself (and the record holding only it), shared with b
    const pages = d.vals[d.keys.indexOf('pages')] as Delta;
    expect(pages.size).to.equal(1); // a large array with one change stays a delta
    const c = produce(a, (d) => { d.io.f[5] = { ...d.io.f[5], doneAt: 5 }; });
    const f = (diff(a, c)!.vals[0] as Delta).vals[0] as Delta;
    expect(f.size).to.equal(1);
    expect(f.vals[0]).to.equal(c.io.f[5]); // the rewritten record, not a delta of its one field
    same(applyDelta(a, d), b);
    same(applyDelta(a, diff(a, c)), c);
  });

  it('keeps a container whole only when it shares nothing with the base (else that part would be kept twice)', () => {
    const a = produce({ r: { big: Array.from({ length: 512 }, (_, i) => i), n: 1 } }, () => {});
    const b = produce(a, (d) => { d.r.n = 2; });
    const r = diff(a, b)!.vals[0] as Delta; // { big, n }: the record is smaller than its delta, but keeping it would keep `big` too
    expect(r).to.be.instanceOf(Delta);
    expect(r.size).to.equal(1);
  });

  it('a container that changes kind (array to record, record to value) is stored as the new value', () => {
    const a = produce({ v: [1, 2] as unknown, w: { a: 1 } as unknown }, () => {});
    const b = produce(a, (d) => { d.v = { 0: 1 }; d.w = 3; });
    same(applyDelta(a, diff(a, b)), b);
    same(applyDelta(b, diff(b, a)), a);
  });
});
