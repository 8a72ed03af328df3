import { enablePatches, type Patch } from 'immer';
import { Engine } from '../engine/engine.ts';
import { withTie, type PendingEvent } from '../engine/checkpoint.ts';
import { replayEvents, type LoggedEvent } from '../engine/replay.ts';
import type { Envelope, Nanos, SimEventBase, Tie, World } from '../engine/types.ts';

enablePatches();

/** A pending event at some past point, as `pendingAt` rebuilds it. */
export interface PendingAt<E> extends PendingEvent<E> {
  /** seq it was dispatched with in this timeline, or null if it never was. */
  readonly seq: number | null;
}

/** How a fork's timeline differs from its parent from the fork point on. */
export interface ForkEdit<E> {
  /** New events, at absolute times not before the fork point. */
  readonly inject?: readonly { readonly event: E; readonly time: Nanos; readonly priority?: number; readonly tie?: Tie }[];
  /** seqs (in the parent) of events pending at the fork point to remove. */
  readonly drop?: readonly number[];
  /** Move pending events later (or earlier, not before the fork point) by `by` ns. */
  readonly delay?: readonly { readonly seq: number; readonly by: Nanos }[];
  /** Replace pending events with other events at the same time. */
  readonly alter?: readonly { readonly seq: number; readonly event: E }[];
}

export type Path = readonly (string | number)[];

export function parsePath(path: string | Path): Path {
  if (typeof path !== 'string') return path;
  return path.split('.').filter((p) => p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function getIn(v: unknown, path: Path): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

function related(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}

/** How many restored states at snapshot points a history keeps beyond the engine's (thinned) snapshots. */
const VISITED_CHECKPOINTS = 32;

/** A bounded set of states by seq; the least recently used goes first. */
class Checkpoints<S> {
  private readonly bySeq = new Map<number, World<S>>();
  constructor(private readonly capacity: number) {}

  add(seq: number, state: World<S>): void {
    this.bySeq.delete(seq);
    this.bySeq.set(seq, state);
    if (this.bySeq.size > this.capacity) this.bySeq.delete(this.bySeq.keys().next().value!);
  }

  clear(): void {
    this.bySeq.clear();
  }

  /** The latest state at or before seq, marked as recently used; null if none. */
  atOrBefore(seq: number): { seq: number; state: World<S> } | null {
    let best = -1;
    for (const s of this.bySeq.keys()) if (s <= seq && s > best) best = s;
    if (best < 0) return null;
    const state = this.bySeq.get(best)!;
    this.add(best, state);
    return { seq: best, state };
  }
}

/**
 * Time travel over one timeline: a run's engine (its log and snapshots) plus, for a fork, the
 * parent timeline it branched from. States are restored from the nearest snapshot plus replay.
 * Seqs are shared with the parent up to the fork point.
 */
export class History<S, E extends SimEventBase> {
  private cache: { seq: number; state: World<S> } | null = null;
  /** States restored inside thinned gaps, at snapshot points (a bounded, least recently used set). */
  private readonly visited = new Checkpoints<S>(VISITED_CHECKPOINTS);
  private cursorSeq: number | null = null;

  constructor(
    readonly engine: Engine<S, E>,
    readonly parent: { readonly history: History<S, E>; readonly seq: number } | null = null,
  ) {}

  get baseSeq(): number {
    return this.engine.log.baseSeq;
  }

  get lastSeq(): number {
    return this.engine.lastSeq;
  }

  private check(seq: number): void {
    if (!Number.isInteger(seq) || seq < 0 || seq > this.lastSeq) {
      throw new RangeError(`seq ${seq} is outside this timeline (0..${this.lastSeq})`);
    }
  }

  envelope(seq: number): Envelope<E> {
    this.check(seq);
    if (seq <= this.baseSeq) {
      if (!this.parent) throw new RangeError(`seq ${seq} precedes this log`);
      return this.parent.history.envelope(seq);
    }
    return this.engine.log.envelope(seq);
  }

  /** Time of the event with this seq; 0 for seq 0. */
  timeOf(seq: number): Nanos {
    if (seq === 0) return 0;
    return this.envelope(seq).time;
  }

  *envelopes(from: number, to: number): Generator<Envelope<E>> {
    for (let s = from; s <= to; s++) yield this.envelope(s);
  }

  /** The frozen world after the event with this seq (seq 0: the initial world). */
  stateAt(seq: number): World<S> {
    this.check(seq);
    if (seq === this.lastSeq) return this.engine.state;
    if (seq <= this.baseSeq) return seq === this.baseSeq ? this.engine.initialWorld : this.parent!.history.stateAt(seq);
    // A kept snapshot may be a delta whose restore costs a chain of them: restore it only when
    // no state at hand (the last one returned, one visited) is at least as close.
    if (seq > this.engine.appliedSeq) this.engine.applyLogged(seq);
    const snapSeq = this.engine.snapshotSeqAtOrBefore(seq);
    let fromSeq = -1;
    let from: World<S> | null = null;
    const c = this.cache;
    if (c && c.seq <= seq && c.seq >= snapSeq) { fromSeq = c.seq; from = c.state; }
    const v = this.visited.atOrBefore(seq);
    if (v !== null && v.seq >= snapSeq && v.seq > fromSeq) { fromSeq = v.seq; from = v.state; }
    if (from === null) {
      ({ seq: fromSeq, state: from } = this.engine.snapshotAtOrBefore(seq));
      // A snapshot restored from deltas owns copies of every container its chain touched (up to
      // a whole state): states visited from an earlier restore are not kept beside it.
      if (this.engine.snapshots[(fromSeq - this.baseSeq) / this.engine.snapshotEvery] === undefined) this.visited.clear();
    }
    // Across a thinned gap, keep the states at the snapshot points passed on the way, so moving
    // around here again (the debugger's steps, a backward scan) replays at most K - 1 events.
    const k = this.engine.snapshotEvery;
    while (seq - fromSeq >= k) {
      const next = this.baseSeq + (Math.floor((fromSeq - this.baseSeq) / k) + 1) * k;
      from = replayEvents(this.engine.model, from, this.logged(fromSeq + 1, next));
      fromSeq = next;
      this.visited.add(fromSeq, from);
    }
    const state = fromSeq === seq ? from : replayEvents(this.engine.model, from, this.logged(fromSeq + 1, seq));
    this.cache = { seq, state };
    return state;
  }

  private *logged(from: number, to: number): Generator<LoggedEvent<E>> {
    const log = this.engine.log;
    for (let s = from; s <= to; s++) yield { seq: s, time: log.timeOf(s), event: log.eventOf(s) };
  }

  /** Last seq whose time is <= t. */
  seqAtTime(t: Nanos): number {
    const own = this.engine.log.lastSeqAtOrBefore(t);
    if (own === this.baseSeq && this.parent) return Math.min(this.parent.history.seqAtTime(t), this.baseSeq);
    return own;
  }

  /** The world after every event with time <= t. */
  stateAtTime(t: Nanos): World<S> {
    return this.stateAt(this.seqAtTime(t));
  }

  /** The debugger's position; starts at the end of the timeline. */
  get cursor(): number {
    return this.cursorSeq ?? this.lastSeq;
  }

  seek(seq: number): World<S> {
    const state = this.stateAt(seq);
    this.cursorSeq = seq;
    return state;
  }

  stepBack(n = 1): World<S> {
    return this.seek(Math.max(0, this.cursor - n));
  }

  stepForward(n = 1): World<S> {
    return this.seek(Math.min(this.lastSeq, this.cursor + n));
  }

  /** immer patches that turn stateAt(a) into stateAt(b), in either direction. */
  diff(a: number, b: number): Patch[] {
    this.check(a);
    this.check(b);
    if (a === b) return [];
    const lo = Math.min(a, b), hi = Math.max(a, b);
    let fwd: Patch[] = [], inv: Patch[] = [];
    replayEvents(this.engine.model, this.stateAt(lo), this.envelopes(lo + 1, hi), (p, i) => { fwd = p; inv = i; });
    return a < b ? fwd : inv;
  }

  /**
   * seq of the last event at or before `beforeSeq` that changed the value at `path` (relative to
   * the world: `model.cma...`), or null if none did. Snapshot intervals whose value (or, for a
   * primitive, its container) kept its identity are skipped: immer copies every object on a
   * changed path, so an identical reference means nothing under it was written.
   */
  lastWrite(path: string | Path, beforeSeq: number = this.lastSeq): number | null {
    this.check(beforeSeq);
    const p = parsePath(path);
    const probe = (w: World<S>): unknown => {
      const v = getIn(w, p);
      return v !== null && typeof v === 'object' ? v : getIn(w, p.slice(0, -1));
    };
    const k = this.engine.snapshotEvery;
    let hi = beforeSeq;
    while (hi > this.baseSeq) {
      const lo = Math.max(this.baseSeq, Math.floor((hi - 1 - this.baseSeq) / k) * k + this.baseSeq);
      const start = this.stateAt(lo);
      if (probe(start) !== probe(this.stateAt(hi))) {
        let found: number | null = null;
        let w = start;
        for (let s = lo + 1; s <= hi; s++) {
          const env = this.engine.log.envelope(s);
          let touched = false;
          w = replayEvents(this.engine.model, w, [env], (patches) => {
            touched = patches.some((q) => related(q.path, p));
          });
          if (touched) found = s;
        }
        if (found !== null) return found;
      }
      hi = lo;
    }
    return this.parent ? this.parent.history.lastWrite(p, Math.min(beforeSeq, this.baseSeq)) : null;
  }

  /** The causal chain of `seq`: the event itself, the event that scheduled it, ... back to an injected one. */
  why(seq: number): Envelope<E>[] {
    const chain: Envelope<E>[] = [];
    let cur: number | null = seq;
    while (cur !== null) {
      const env = this.envelope(cur);
      chain.push(env);
      cur = env.cause;
    }
    return chain;
  }

  /** Events pending in the queue right after `seq`, in the order they would be dispatched. */
  pendingAt(seq: number): PendingAt<E>[] {
    this.check(seq);
    if (seq < this.baseSeq) return this.parent!.history.pendingAt(seq);
    const log = this.engine.log;
    const out: PendingAt<E>[] = [];
    for (let s = seq + 1; s <= log.lastSeq; s++) {
      const after = log.afterOf(s);
      if (after <= seq) out.push(withTie({ time: log.timeOf(s), priority: log.priorityOf(s), event: log.eventOf(s), cause: log.causeOf(s), after, seq: s }, log.tieOf(s)));
    }
    for (const p of this.engine.pending()) if (p.after <= seq) out.push({ ...p, seq: null });
    return out;
  }

  /**
   * A new timeline that starts from the state after `seq`, with the same pending events, edited.
   * This timeline is left exactly as it was.
   */
  fork(seq: number, edit: ForkEdit<E> = {}, validate?: (e: E) => string | null): History<S, E> {
    const world = this.stateAt(seq);
    const now = this.timeOf(seq);
    let pending = this.pendingAt(seq);
    const bySeq = new Map<number, number>();
    pending.forEach((p, i) => { if (p.seq !== null) bySeq.set(p.seq, i); });
    const find = (s: number, what: string): number => {
      const i = bySeq.get(s);
      if (i === undefined) throw new RangeError(`fork: cannot ${what} seq ${s}: it is not pending after seq ${seq}`);
      return i;
    };
    const edited: (PendingAt<E> | null)[] = [...pending];
    for (const a of edit.alter ?? []) {
      const err = validate?.(a.event);
      if (err) throw new RangeError(`fork: alter seq ${a.seq}: ${err}`);
      const i = find(a.seq, 'alter');
      edited[i] = { ...edited[i]!, event: a.event };
    }
    for (const d of edit.delay ?? []) {
      const i = find(d.seq, 'delay');
      const t = edited[i]!.time + d.by;
      if (!Number.isInteger(t) || t < now) throw new RangeError(`fork: delay of seq ${d.seq} by ${d.by} ns moves it before the fork point`);
      edited[i] = { ...edited[i]!, time: t };
    }
    for (const s of edit.drop ?? []) edited[find(s, 'drop')] = null;
    pending = edited.filter((p): p is PendingAt<E> => p !== null);
    const engine = Engine.resume(this.engine.model, { world, now, seq, pending }, { snapshotEvery: this.engine.snapshotEvery });
    for (const inj of edit.inject ?? []) {
      const err = validate?.(inj.event);
      if (err) throw new RangeError(`fork: inject: ${err}`);
      engine.inject(inj.event, inj.time, inj.priority ?? 0, inj.tie);
    }
    return new History(engine, { history: this, seq });
  }
}

