import type { Nanos, Tie } from './types.ts';

/**
 * A pending event. `origin` says when it was scheduled, in one integer (checkpoint.ts encodes and
 * decodes it): what lets history rebuild the pending queue at any past point.
 */
export interface Pending<E> {
  readonly time: Nanos;
  readonly priority: number;
  /** Insertion order: the FIFO tie-breaker. */
  readonly ord: number;
  readonly origin: number;
  readonly event: E;
  /** Set only by an injection that declared it (types.ts Tie); undefined otherwise. */
  readonly tie: Tie | undefined;
}

/** Order among events due at the same time: priority, then 'last' after the others, then FIFO. */
function before<E>(x: Pending<E>, y: Pending<E>): boolean {
  if (x.priority !== y.priority) return x.priority < y.priority;
  if (x.tie !== y.tie) return y.tie === 'last';
  return x.ord < y.ord;
}

/** The events due at one instant, in dispatch order from `head` on. */
interface Bucket<E> {
  time: Nanos;
  readonly items: Pending<E>[];
  head: number;
}

/**
 * The pending queue, ordered by (time, priority, tie, insertion order). Events are grouped by the
 * instant they are due: a min-heap orders the distinct instants, and each instant's events sit in
 * an array kept in (priority, tie, insertion) order. Simulations schedule many events at few instants
 * (a hundred processes on a handful of timeouts, a lock hand-off and its follow-ups), and there a
 * push is an append and a pop an index step, where one heap over all events would sift through
 * log2(n) levels each time. Emptied instants are recycled, so steady running allocates only the
 * Pending objects.
 */
export class Scheduler<E> {
  private readonly byTime = new Map<Nanos, Bucket<E>>();
  /** Min-heap of the buckets in byTime, by time. */
  private readonly heap: Bucket<E>[] = [];
  private readonly spare: Bucket<E>[] = [];
  private n = 0;
  private nextOrd = 0;

  get size(): number {
    return this.n;
  }

  push(time: Nanos, priority: number, origin: number, event: E, tie?: Tie): Pending<E> {
    const p: Pending<E> = { time, priority, ord: this.nextOrd++, origin, event, tie };
    this.insert(p);
    return p;
  }

  /** Put back an entry popped earlier, keeping its place in the FIFO order. */
  reinsert(p: Pending<E>): void {
    this.insert(p);
  }

  private insert(p: Pending<E>): void {
    let b = this.byTime.get(p.time);
    if (b === undefined) b = this.open(p.time);
    const items = b.items;
    const len = items.length;
    if (len === b.head || !before(p, items[len - 1])) {
      items.push(p); // the usual case: nothing due at that instant runs after it
    } else {
      let lo = b.head, hi = len - 1; // first item p runs before
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(p, items[mid])) hi = mid; else lo = mid + 1;
      }
      items.splice(lo, 0, p);
    }
    this.n++;
  }

  /** A bucket for a new instant, in the map and the heap. */
  private open(time: Nanos): Bucket<E> {
    const b = this.spare.pop() ?? { time, items: [], head: 0 };
    b.time = time;
    this.byTime.set(time, b);
    const h = this.heap;
    let i = h.length;
    h.push(b);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const q = h[parent];
      if (q.time <= time) break;
      h[i] = q;
      i = parent;
    }
    h[i] = b;
    return b;
  }

  /** The earliest instant is empty: drop its bucket from the map and the heap, keep it for reuse. */
  private close(): void {
    const h = this.heap;
    const b = h[0];
    this.byTime.delete(b.time);
    b.items.length = 0;
    b.head = 0;
    this.spare.push(b);
    const last = h.pop()!;
    const n = h.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && h[r].time < h[l].time ? r : l;
      if (h[c].time >= last.time) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
  }

  peek(): Pending<E> | undefined {
    const b = this.heap[0];
    return b === undefined ? undefined : b.items[b.head];
  }

  pop(): Pending<E> | undefined {
    const b = this.heap[0];
    if (b === undefined) return undefined;
    const p = b.items[b.head++];
    if (b.head === b.items.length) this.close();
    else if (b.head >= 1024 && 2 * b.head >= b.items.length) { b.items.splice(0, b.head); b.head = 0; } // an instant that never empties (chains of zero-delay follow-ups) must not keep what it ran
    this.n--;
    return p;
  }

  /** Pending events in dispatch order (a copy; the queue is untouched). */
  toSortedArray(): Pending<E>[] {
    const out: Pending<E>[] = [];
    for (const b of [...this.heap].sort((x, y) => x.time - y.time)) for (let i = b.head; i < b.items.length; i++) out.push(b.items[i]);
    return out;
  }
}
