import type { Nanos } from './types.ts';

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
}

function before<E>(x: Pending<E>, y: Pending<E>): boolean {
  if (x.time !== y.time) return x.time < y.time;
  if (x.priority !== y.priority) return x.priority < y.priority;
  return x.ord < y.ord;
}

/** Binary min-heap ordered by (time, priority, insertion order). */
export class Scheduler<E> {
  private heap: Pending<E>[] = [];
  private nextOrd = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: Nanos, priority: number, origin: number, event: E): Pending<E> {
    const p: Pending<E> = { time, priority, ord: this.nextOrd++, origin, event };
    this.insert(p);
    return p;
  }

  /** Put back an entry popped earlier, keeping its place in the FIFO order. */
  reinsert(p: Pending<E>): void {
    this.insert(p);
  }

  private insert(p: Pending<E>): void {
    const h = this.heap;
    let i = h.length;
    h.push(p);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const q = h[parent];
      if (!before(p, q)) break;
      h[i] = q;
      i = parent;
    }
    h[i] = p;
  }

  peek(): Pending<E> | undefined {
    return this.heap[0];
  }

  pop(): Pending<E> | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  /** Pending events in dispatch order (a copy; the heap is untouched). */
  toSortedArray(): Pending<E>[] {
    return [...this.heap].sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
  }
}
