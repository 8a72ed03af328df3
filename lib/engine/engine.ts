import { createDraft, finishDraft, type Draft } from 'immer';
import { Subject, type Observable } from 'rxjs';
import { EventLog } from './eventLog.ts';
import { seedRng } from './prng.ts';
import { applyEvent, BatchContext, reducerFor, reducerName, writeBackRng } from './reduceContext.ts';
import { replayEvents } from './replay.ts';
import { afterOf, causeOf, originOf, withTie, type Checkpoint, type PendingEvent } from './checkpoint.ts';
import { Scheduler, type Pending } from './scheduler.ts';
import { DEFAULT_THINNING, SnapshotStore, type SnapshotDeltas, type Thinning } from './snapshots.ts';
import type { Envelope, Model, Nanos, RunBounds, RunResult, SimEventBase, Tie, World } from './types.ts';

export interface EngineOptions<S> {
  /** Seed for the PRNG when the world is created from `initial`. */
  seed?: number;
  /** Take a snapshot every K events (default 1024). */
  snapshotEvery?: number;
  /** Start from this world instead of { rng: seed, model: initial } (forks, replays). */
  world?: World<S>;
  /** Events already dispatched before this engine's first one (forks). */
  baseSeq?: number;
  /** Clock at start (forks). */
  now?: Nanos;
  /**
   * Thin old snapshots so a long history keeps O(dense + n / (maxStride * K)) of them: the newest
   * `dense` are kept every K events, older ones every 2K, 4K, ... up to every maxStride * K, so
   * restoring any state replays at most maxStride * K - 1 events. null keeps every snapshot.
   * Default { dense: 64, maxStride: 8 }: with K = 1,024, at most 8,191 events replayed.
   */
  thinning?: Thinning | null;
  /**
   * Keep snapshots as deltas from the previous kept one (what changed, not every container a
   * batch copied), with a whole one whenever the deltas since the last reach `keyframeBytes`.
   * null (the default) keeps every kept snapshot whole; DEFAULT_DELTAS (32 MiB between whole ones)
   * is the measured setting. Off by default until measured again on the 16 GiB, 1 M-event memory
   * history, where deltas once retained several times what whole snapshots do (moved entries of
   * long I/O queues kept entry by entry, fixed in delta.ts); on the realistic board they halved
   * peak memory.
   */
  deltas?: SnapshotDeltas | null;
}

/** Raised when a reducer throws: names the seq, the event and the reducer. */
export class SimulationError<E extends SimEventBase = SimEventBase> extends Error {
  constructor(
    readonly seq: number,
    readonly envelope: Envelope<E>,
    readonly reducer: string,
    override readonly cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`reducer ${reducer} failed at seq ${seq} (t=${envelope.time}ns, event ${JSON.stringify(envelope.event)}): ${why}`);
  }
}

export interface SnapshotNotice<S> {
  readonly seq: number;
  readonly time: Nanos;
  readonly state: World<S>;
}

/**
 * The dispatch loop. Events are popped in (time, priority, insertion) order and reduced into one
 * immer draft shared by a batch of events; the draft is finalised (frozen) at snapshot points,
 * when someone asks for the state, and when a run returns. Every state handed out is frozen.
 */
export class Engine<S, E extends SimEventBase> {
  readonly log: EventLog<E>;
  readonly scheduler = new Scheduler<E>();
  readonly snapshotEvery: number;
  readonly thinning: Thinning | null;
  /** Slot j: the world after seq baseSeq + j * snapshotEvery, kept whole or as a delta (snapshots.ts). */
  private readonly store: SnapshotStore<World<S>>;
  private committed: World<S>;
  private committedSeq: number;
  /** seq of the last event whose reducer ran; below lastSeq only while logged events wait (appendLogged). */
  private applied: number;
  private endCheck: ((world: World<S>) => void) | null = null;
  private lazyFailure: ((e: SimulationError<E>) => Error) | null = null;
  private draft: Draft<World<S>> | null = null;
  private draftModel: Draft<S> | null = null;
  private ctx: BatchContext<E> | null = null;
  private _now: Nanos;
  /** Candidates taken off the queue while `choose` decides among them (a checkpoint includes them). */
  private held: readonly Pending<E>[] | null = null;
  private readonly eventsSubject = new Subject<Envelope<E>>();
  private readonly snapshotsSubject = new Subject<SnapshotNotice<S>>();
  /** Every dispatched envelope; emits nothing and costs nothing while unobserved. */
  readonly events$: Observable<Envelope<E>> = this.eventsSubject.asObservable();
  /** The committed world at every snapshot point and at the end of each run. */
  readonly snapshots$: Observable<SnapshotNotice<S>> = this.snapshotsSubject.asObservable();

  constructor(readonly model: Model<S, E>, initial: S, opts: EngineOptions<S> = {}) {
    const k = opts.snapshotEvery ?? 1024;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`snapshotEvery must be a positive integer, got ${k}`);
    this.snapshotEvery = k;
    const th = opts.thinning === undefined ? DEFAULT_THINNING : opts.thinning;
    if (th !== null && !(Number.isInteger(th.dense) && th.dense >= 1 && Number.isInteger(th.maxStride) && th.maxStride >= 1 && (th.maxStride & (th.maxStride - 1)) === 0)) {
      throw new RangeError(`thinning: dense must be a positive integer and maxStride a power of two, got ${JSON.stringify(th)}`);
    }
    this.thinning = th;
    const base = opts.baseSeq ?? 0;
    this.log = new EventLog<E>(base);
    this._now = opts.now ?? 0;
    const w0 = opts.world ?? { rng: seedRng(opts.seed ?? 0), model: initial };
    this.committed = finishDraft(createDraft(w0)) as World<S>; // frozen from the start
    this.committedSeq = base;
    this.applied = base;
    const d = opts.deltas === undefined ? null : opts.deltas;
    if (d !== null && !(d.keyframeBytes > 0)) throw new RangeError(`deltas: keyframeBytes must be positive, got ${d.keyframeBytes}`);
    this.store = new SnapshotStore(this.committed, th, d);
  }

  /** The world this engine started from (seq baseSeq). */
  get initialWorld(): World<S> {
    return this.store.whole[0];
  }

  /**
   * The snapshots kept whole, by slot (slot 0, keyframes and the newest; holes elsewhere): the
   * others are deltas, restored by snapshotAtOrBefore.
   */
  get snapshots(): readonly World<S>[] {
    return this.store.whole;
  }

  /** Slots kept (slot j holds the world after seq baseSeq + j * snapshotEvery), in order. */
  keptSnapshotSlots(): number[] {
    return this.store.keptSlots();
  }

  /** A fresh engine that goes on from `cp` exactly as the run it was saved from would have. */
  static resume<S, E extends SimEventBase>(model: Model<S, E>, cp: Checkpoint<S, E>, opts: { snapshotEvery?: number } = {}): Engine<S, E> {
    const e = new Engine<S, E>(model, cp.world.model, { world: cp.world, baseSeq: cp.seq, now: cp.now, snapshotEvery: opts.snapshotEvery });
    for (const p of cp.pending) e.restorePending(p);
    return e;
  }

  /**
   * Save where the run stands. Inside `choose` the candidates being decided on come first, in
   * their queue order, so resuming from it offers the same decision again.
   */
  checkpoint(): Checkpoint<S, E> {
    return { world: this.commit(), now: this._now, seq: this.log.lastSeq, pending: this.pending() };
  }

  /** The events still queued, in dispatch order. */
  pending(): PendingEvent<E>[] {
    const queued = this.scheduler.toSortedArray();
    return (this.held === null ? queued : [...this.held, ...queued]).map((p) => withTie({
      time: p.time, priority: p.priority, event: p.event, cause: causeOf(p.origin), after: afterOf(p.origin),
    }, p.tie));
  }

  get now(): Nanos {
    return this._now;
  }

  /** seq of the last dispatched event. */
  get lastSeq(): number {
    return this.log.lastSeq;
  }

  /** seq of the last event the state includes: lastSeq, except while logged events wait (appendLogged). */
  get appliedSeq(): number {
    return this.applied;
  }

  /** The current world, committed and frozen. */
  get state(): World<S> {
    if (this.applied !== this.log.lastSeq || this.endCheck !== null) this.applyLogged();
    return this.commit();
  }

  /**
   * Schedule an event from outside at absolute time `time` (integer ns, not in the past). `tie`
   * 'last' runs it after the other events due at the same time and priority (see Tie).
   */
  inject(event: E, time: Nanos = this._now, priority = 0, tie?: Tie): void {
    if (!Number.isInteger(time) || time < this._now) {
      throw new RangeError(`inject(${event.type}): time must be an integer >= now (${this._now}), got ${time}`);
    }
    if (!Number.isInteger(priority)) throw new RangeError(`inject(${event.type}): priority must be an integer, got ${priority}`);
    if (tie !== undefined && tie !== 'last') throw new RangeError(`inject(${event.type}): tie must be 'last' or absent, got ${JSON.stringify(tie)}`);
    if (!reducerFor(this.model, event.type)) throw new RangeError(`inject: unknown event type '${event.type}' for model ${this.model.name}`);
    this.scheduler.push(time, priority, originOf(null, this.log.lastSeq), event, tie);
  }

  /** Queue an event exactly as it was pending in the run a log or checkpoint was saved from. */
  restorePending(p: PendingEvent<E>): void {
    this.scheduler.push(p.time, p.priority, originOf(p.cause, p.after), p.event, p.tie);
  }

  run(bounds: RunBounds<S, E> = {}): RunResult {
    const { until, maxEvents, stopWhen, choose, window = 0 } = bounds;
    if (until !== undefined && (!Number.isInteger(until) || until < 0)) throw new RangeError(`until must be a non-negative integer of ns, got ${until}`);
    if (maxEvents !== undefined && (!Number.isInteger(maxEvents) || maxEvents < 0)) throw new RangeError(`maxEvents must be a non-negative integer, got ${maxEvents}`);
    if (this.applied !== this.log.lastSeq || this.endCheck !== null) this.applyLogged();
    let n = 0;
    let reason: RunResult['reason'];
    const sched = this.scheduler;
    const stateFn = () => this.commit();
    for (;;) {
      const top = sched.peek();
      if (top === undefined) { reason = 'idle'; break; }
      if (until !== undefined && top.time > until) { this._now = until; reason = 'until'; break; }
      if (maxEvents !== undefined && n >= maxEvents) { reason = 'maxEvents'; break; }
      sched.pop();
      const seq = this.dispatch(choose === undefined ? top : this.pickAmong(top, choose, window, until));
      n++;
      if (stopWhen !== undefined && stopWhen(this.log.envelope(seq), stateFn)) { reason = 'stopWhen'; break; }
    }
    if (reason === 'idle' && until !== undefined && until > this._now) this._now = until;
    const state = this.commit();
    if (this.snapshotsSubject.observed) this.snapshotsSubject.next({ seq: this.log.lastSeq, time: this._now, state });
    return { reason, dispatched: n, now: this._now, lastSeq: this.log.lastSeq };
  }

  /** Gather the candidates concurrent with `top` (already popped), let `choose` pick, put the rest back. */
  private pickAmong(top: Pending<E>, choose: NonNullable<RunBounds<S, E>['choose']>, window: Nanos, until: Nanos | undefined): Pending<E> {
    const sched = this.scheduler;
    const cands: Pending<E>[] = [top];
    const limit = until === undefined ? top.time + window : Math.min(top.time + window, until);
    for (let p = sched.peek(); p !== undefined; p = sched.peek()) {
      const concurrent = window > 0 ? p.time <= limit : p.time === top.time && p.priority === top.priority;
      if (!concurrent) break;
      cands.push(sched.pop()!);
    }
    if (cands.length === 1) return top;
    this.held = cands;
    let i: number;
    try {
      i = choose(cands.map((c) => ({ time: c.time, priority: c.priority, event: c.event, cause: causeOf(c.origin) })), this.log.lastSeq + 1);
    } finally {
      this.held = null;
    }
    if (!Number.isInteger(i) || i < 0 || i >= cands.length) throw new RangeError(`choose returned ${i}, expected an index in 0..${cands.length - 1}`);
    for (let j = 0; j < cands.length; j++) if (j !== i) sched.reinsert(cands[j]);
    return cands[i];
  }

  private dispatch(p: Pending<E>): number {
    return this.apply(p.time, p.priority, p.origin, p.event, true, p.tie);
  }

  /**
   * Re-apply an event read from a log: same reducers, same snapshots, but follow-ups are not
   * scheduled because the log already holds them. `cause`, `after` and `tie` are as in PendingEvent.
   */
  replayLogged(time: Nanos, priority: number, cause: number | null, after: number, event: E, tie?: Tie): number {
    if (this.applied !== this.log.lastSeq) throw new Error('replayLogged: logged events are waiting to be applied (appendLogged)');
    if (time < this._now) throw new RangeError(`replayLogged: time ${time} is before now ${this._now}`);
    return this.apply(time, priority, originOf(cause, after), event, false, tie);
  }

  private apply(t: Nanos, priority: number, origin: number, event: E, scheduleFollowUps: boolean, tie: Tie | undefined): number {
    const seq = this.log.lastSeq + 1;
    // Only exploration can hand over an event due before the clock (it was overtaken): it runs now.
    const time = t < this._now ? this._now : t;
    const ctx = this.reduce(seq, time, priority, origin, event);
    this._now = time;
    this.log.append(time, priority, origin, event, tie);
    const n = ctx.fuCount;
    if (n > 0) {
      if (scheduleFollowUps) {
        for (let i = 0; i < n; i++) this.scheduler.push(time + ctx.fuDelays[i], ctx.fuPriorities[i], seq, ctx.fuEvents[i]);
      }
      ctx.clearFollowUps();
    }
    this.afterEvent(seq, time);
    return seq;
  }

  /** Run the event's reducer on the open batch (opening one if needed); a throw leaves the state as before the event. */
  private reduce(seq: number, time: Nanos, priority: number, origin: number, event: E): BatchContext<E> {
    let ctx = this.ctx;
    if (ctx === null) {
      this.draft = createDraft(this.committed) as Draft<World<S>>;
      this.draftModel = this.draft.model as Draft<S>;
      ctx = this.ctx = new BatchContext<E>(this.committed.rng, true);
    }
    ctx.now = time;
    ctx.seq = seq;
    try {
      applyEvent(this.model, this.draftModel!, event, ctx);
    } catch (err) {
      ctx.clearFollowUps();
      this.recoverBefore(seq);
      throw new SimulationError(seq, { seq, time, priority, cause: causeOf(origin), event }, reducerName(this.model, event.type), err);
    }
    this.applied = seq;
    return ctx;
  }

  /** After the event with this seq changed the state: tell listeners, take the snapshot it is due. */
  private afterEvent(seq: number, time: Nanos): void {
    if (this.eventsSubject.observed) this.eventsSubject.next(this.log.envelope(seq));
    if ((seq - this.log.baseSeq) % this.snapshotEvery === 0) {
      const state = this.commit();
      this.store.push(state);
      if (this.snapshotsSubject.observed) this.snapshotsSubject.next({ seq, time, state });
    }
  }

  /**
   * Lazy loading: add an event read from a log without running its reducer yet. The state catches
   * up when something asks for it (`state`, `snapshotAtOrBefore`, `run`) up to where it is asked,
   * so opening a long log costs its reading, not its replay. Times must not decrease. `cause` and
   * `after` are as in PendingEvent.
   */
  appendLogged(time: Nanos, priority: number, cause: number | null, after: number, event: E, tie?: Tie): number {
    if (time < this._now) throw new RangeError(`appendLogged: time ${time} is before the last logged event (${this._now})`);
    this._now = time;
    return this.log.append(time, priority, originOf(cause, after), event, tie);
  }

  /**
   * Run the reducers of logged events not applied yet (see appendLogged), up to `toSeq`, taking
   * the snapshots a live run would. Reaching the end of the log runs the `whenApplied` check.
   */
  applyLogged(toSeq: number = this.log.lastSeq): void {
    const log = this.log;
    for (let s = this.applied + 1; s <= toSeq; s++) {
      const time = log.timeOf(s);
      try {
        this.reduce(s, time, log.priorityOf(s), log.originAt(s), log.eventOf(s)).clearFollowUps();
      } catch (e) {
        throw this.lazyFailure !== null && e instanceof SimulationError ? this.lazyFailure(e) : e;
      }
      this.afterEvent(s, time);
    }
    if (this.endCheck !== null && this.applied === log.lastSeq) {
      this.endCheck(this.commit());
      this.endCheck = null; // only once it passed: a log whose end does not check keeps failing
    }
  }

  /**
   * Lazy loading: `check` runs on the world once every logged event is applied (the final hash);
   * `failure` turns a reducer's throw during that replay into the error to raise (naming the file).
   */
  whenApplied(check: (world: World<S>) => void, failure?: (e: SimulationError<E>) => Error): void {
    this.endCheck = check;
    this.lazyFailure = failure ?? null;
  }

  /** seq of the latest kept snapshot at or before `seq`, without restoring it (a restore from a delta costs a chain of them). */
  snapshotSeqAtOrBefore(seq: number): number {
    const k = this.snapshotEvery;
    return this.log.baseSeq + this.store.keptAtOrBefore(Math.floor((seq - this.log.baseSeq) / k)) * k;
  }

  /** The latest kept snapshot at or before `seq` (baseSeq <= seq <= lastSeq): its seq and world. */
  snapshotAtOrBefore(seq: number): { readonly seq: number; readonly state: World<S> } {
    if (seq > this.applied) this.applyLogged(seq);
    const k = this.snapshotEvery;
    const { slot, world } = this.store.atOrBefore(Math.floor((seq - this.log.baseSeq) / k));
    return { seq: this.log.baseSeq + slot * k, state: world };
  }

  /** Finalise the open batch (if any) and return the frozen world. */
  private commit(): World<S> {
    if (this.draft !== null) {
      this.ctx!.runCommitHooks();
      writeBackRng(this.draft, this.ctx!);
      this.committed = finishDraft(this.draft) as World<S>;
      this.committedSeq = this.applied;
      this.draft = null;
      this.draftModel = null;
      this.ctx = null;
    }
    return this.committed;
  }

  /** After a reducer threw mid-batch: rebuild the state just before `failedSeq` from the batch's base. */
  private recoverBefore(failedSeq: number): void {
    this.draft = null;
    this.draftModel = null;
    this.ctx = null;
    const from = this.committedSeq + 1;
    this.committed = replayEvents(this.model, this.committed, this.log.envelopes(from, failedSeq - 1));
    this.committedSeq = failedSeq - 1;
  }
}
