import { afterOf, causeOf, withTie } from './checkpoint.ts';
import type { Envelope, Nanos, SimEventBase, Tie } from './types.ts';

/**
 * Append-only, columnar record of dispatched events. Columns are typed arrays so a logged
 * event retains about 16 bytes plus its event object; envelopes are materialised on demand.
 * A log may start after `baseSeq` (a forked timeline holds only what it added).
 */
export class EventLog<E extends SimEventBase> {
  private times = new Float64Array(1024);
  private prios = new Int32Array(1024);
  private origins = new Int32Array(1024);
  private events: E[] = [];
  /** Indices of the events injected with tie 'last': rare, so a set rather than a column. */
  private lasts: Set<number> | null = null;
  private n = 0;

  constructor(readonly baseSeq = 0) {}

  /** Number of events in this log (not counting a parent's). */
  get length(): number {
    return this.n;
  }

  /** seq of the last event, or baseSeq when empty. */
  get lastSeq(): number {
    return this.baseSeq + this.n;
  }

  append(time: Nanos, priority: number, origin: number, event: E, tie?: Tie): number {
    if (this.n === this.times.length) this.grow();
    const i = this.n++;
    if (tie === 'last') (this.lasts ??= new Set()).add(i);
    this.times[i] = time;
    this.prios[i] = priority;
    this.origins[i] = origin;
    this.events.push(event);
    return this.baseSeq + this.n;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap); t.set(this.times); this.times = t;
    const p = new Int32Array(cap); p.set(this.prios); this.prios = p;
    const o = new Int32Array(cap); o.set(this.origins); this.origins = o;
  }

  has(seq: number): boolean {
    return seq > this.baseSeq && seq <= this.baseSeq + this.n;
  }

  private idx(seq: number): number {
    if (!this.has(seq)) throw new RangeError(`seq ${seq} is not in this log (${this.baseSeq + 1}..${this.lastSeq})`);
    return seq - this.baseSeq - 1;
  }

  timeOf(seq: number): Nanos { return this.times[this.idx(seq)]; }
  priorityOf(seq: number): number { return this.prios[this.idx(seq)]; }
  /** seq of the event that scheduled this one; null when it was injected. */
  causeOf(seq: number): number | null { return causeOf(this.origins[this.idx(seq)]); }
  /** How many events had been dispatched when this one was queued. */
  afterOf(seq: number): number { return afterOf(this.origins[this.idx(seq)]); }
  eventOf(seq: number): E { return this.events[this.idx(seq)]; }
  /** The tie order its injection declared, if any. */
  tieOf(seq: number): Tie | undefined { return this.lasts !== null && this.lasts.has(this.idx(seq)) ? 'last' : undefined; }
  /** The packed origin (lib/engine/checkpoint.ts): for the engine's own replay, which hands it back to a reducer as it was. */
  originAt(seq: number): number { return this.origins[this.idx(seq)]; }

  envelope(seq: number): Envelope<E> {
    const i = this.idx(seq);
    const env = { seq, time: this.times[i], priority: this.prios[i], cause: causeOf(this.origins[i]), event: this.events[i] };
    return this.lasts === null ? env : withTie(env, this.tieOf(seq));
  }

  /** Last seq whose time is <= t (baseSeq if none). Times never decrease along the log. */
  lastSeqAtOrBefore(t: Nanos): number {
    let lo = 0, hi = this.n; // first index with time > t
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid] <= t) lo = mid + 1; else hi = mid;
    }
    return this.baseSeq + lo;
  }

  *envelopes(fromSeq = this.baseSeq + 1, toSeq = this.lastSeq): Generator<Envelope<E>> {
    for (let s = Math.max(fromSeq, this.baseSeq + 1); s <= toSeq; s++) yield this.envelope(s);
  }

  /** Approximate bytes held by the columns (excluding event objects). */
  columnBytes(): number {
    return this.times.byteLength + this.prios.byteLength + this.origins.byteLength + this.events.length * 8;
  }
}
