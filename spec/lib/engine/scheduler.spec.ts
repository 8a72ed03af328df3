import { expect } from 'chai';
import { Rng, seedRng } from '../../../lib/engine/prng.ts';
import { Scheduler } from '../../../lib/engine/scheduler.ts';

describe('Scheduler', () => {
  it('keeps FIFO order among events with equal time and priority', () => {
    const s = new Scheduler<string>();
    for (const x of ['a', 'b', 'c', 'd', 'e']) s.push(5, 0, 0, x);
    const out: string[] = [];
    for (let p = s.pop(); p; p = s.pop()) out.push(p.event);
    expect(out).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
  });

  it('orders by time, then priority, then insertion', () => {
    const s = new Scheduler<string>();
    s.push(10, 0, 0, 'late');
    s.push(5, 3, 0, 'p3-first-inserted');
    s.push(5, 1, 0, 'p1');
    s.push(5, 3, 0, 'p3-second');
    s.push(1, 9, 0, 'early-low-priority');
    const out: string[] = [];
    for (let p = s.pop(); p; p = s.pop()) out.push(p.event);
    expect(out).to.deep.equal(['early-low-priority', 'p1', 'p3-first-inserted', 'p3-second', 'late']);
  });

  it('pops a random mix in sorted order (heap property)', () => {
    const rng = new Rng(seedRng(42));
    const s = new Scheduler<number>();
    const keys: [number, number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const t = rng.int(0, 50), p = rng.int(-2, 2);
      s.push(t, p, 0, i);
      keys.push([t, p, i]);
    }
    keys.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const out: number[] = [];
    for (let p = s.pop(); p; p = s.pop()) out.push(p.event);
    expect(out).to.deep.equal(keys.map((k) => k[2]));
  });
});
