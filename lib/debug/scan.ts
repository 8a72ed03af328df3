import { performance } from 'node:perf_hooks';
import { createDraft, type Draft } from 'immer';
import { applyEvent, BatchContext } from '../engine/reduceContext.ts';
import type { Envelope, SimEventBase, World } from '../engine/types.ts';
import type { History } from '../history/history.ts';
import { readStatePath, type StatePath } from './statePath.ts';

/** One condition checked after each event while moving: a breakpoint, a `next` predicate, a watch. */
export interface StepTest<S, E extends SimEventBase> {
  /** Whether `check` reads the state (then the scan replays events into a draft). */
  readonly needsState: boolean;
  /** A short reason when the condition is met after `env`, else null. */
  check(env: Envelope<E>, state: () => S): string | null;
}

export interface ScanResult {
  readonly seq: number | null;
  readonly reason: string | null;
}

/** Called about twice a second during a long scan: the seq reached and the range being searched. */
export type ScanProgress = (reached: number, from: number, to: number) => void;

/** Wall time between progress reports of a scan. */
export const PROGRESS_EVERY_MS = 500;

export function ticker(onProgress: ScanProgress | undefined, from: number, to: number, everyMs: number): (seq: number) => void {
  if (!onProgress) return () => {};
  let next = performance.now() + everyMs;
  return (seq) => {
    const now = performance.now();
    if (now >= next) { next = now + everyMs; onProgress(seq, from, to); }
  };
}

/**
 * Replays (from, to] into one immer draft, calling `before` with the draft's model as each event
 * finds it and `visit` after each event; a draft, not a finished state per event, is what keeps a
 * state scan at replay speed. Returns the seq at which `visit` returned true, or 0.
 */
export function replayDraft<S, E extends SimEventBase>(h: History<S, E>, from: number, to: number, visit: (env: Envelope<E>, model: S) => boolean, tick: (seq: number) => void = () => {}, before?: (env: Envelope<E>, model: S) => void): number {
  const world = h.stateAt(from);
  const draft = createDraft(world) as Draft<World<S>>;
  const ctx = new BatchContext<E>(world.rng, false);
  const model = h.engine.model;
  for (let s = from + 1; s <= to; s++) {
    const env = h.envelope(s);
    ctx.now = env.time;
    ctx.seq = s;
    before?.(env, draft.model as S);
    applyEvent(model, draft.model as Draft<S>, env.event, ctx);
    if (visit(env, draft.model as S)) return s;
    tick(s); // per event: one state check can be slow
  }
  return 0;
}

function runTests<S, E extends SimEventBase>(tests: readonly StepTest<S, E>[], env: Envelope<E>, state: () => S): string | null {
  for (const t of tests) {
    const r = t.check(env, state);
    if (r !== null) return r;
  }
  return null;
}

/** Tests that read no state, over the events from `first` to `last` (inclusive; backwards when last < first). */
function scanEvents<S, E extends SimEventBase>(h: History<S, E>, first: number, last: number, dir: 1 | -1, tests: readonly StepTest<S, E>[], tick: (seq: number) => void): ScanResult {
  const noState = (): S => { throw new Error('state not available'); };
  for (let s = first; dir > 0 ? s <= last : s >= last; s += dir) {
    const r = runTests(tests, h.envelope(s), noState);
    if (r !== null) return { seq: s, reason: r };
    if ((s & 4095) === 0) tick(s);
  }
  return { seq: null, reason: null };
}

export interface ScanOptions {
  readonly onProgress?: ScanProgress;
  readonly progressEveryMs?: number;
}

/** The first seq in (from, to] after which one of `tests` holds. Runs to the end, reporting progress. */
export function scanForward<S, E extends SimEventBase>(h: History<S, E>, from: number, to: number, tests: readonly StepTest<S, E>[], o: ScanOptions = {}): ScanResult {
  const tick = ticker(o.onProgress, from, to, o.progressEveryMs ?? PROGRESS_EVERY_MS);
  if (!tests.some((t) => t.needsState)) return scanEvents(h, from + 1, to, 1, tests, tick);
  let reason: string | null = null;
  const r = replayDraft(h, from, to, (env, m) => (reason = runTests(tests, env, () => m)) !== null, tick);
  return r > 0 ? { seq: r, reason } : { seq: null, reason: null };
}

/**
 * Walk back one snapshot interval at a time from `from` (exclusive) down to `lo`, replaying each
 * interval forward; `visit` sees every event of the interval in order with the state after it and
 * returns a hit or null; the interval's last hit is the answer.
 */
function backward<S, E extends SimEventBase>(h: History<S, E>, from: number, lo: number, o: ScanOptions, visit: (env: Envelope<E>, m: S) => string | null): ScanResult {
  const tick = ticker(o.onProgress, from, lo, o.progressEveryMs ?? PROGRESS_EVERY_MS);
  const k = h.engine.snapshotEvery;
  let hi = from - 1;
  while (hi >= lo) {
    const start = Math.max(lo - 1, Math.floor((hi - 1) / k) * k);
    let hit: number | null = null;
    let reason: string | null = null;
    replayDraft(h, start, hi, (env, m) => {
      const r = visit(env, m);
      if (r !== null) { hit = env.seq; reason = r; }
      return false;
    });
    if (hit !== null) return { seq: hit, reason };
    tick(start + 1);
    hi = start;
  }
  return { seq: null, reason: null };
}

/** The last seq in [lo, from) (lo >= 1) after which one of `tests` holds. Runs to `lo`, reporting progress. */
export function scanBackward<S, E extends SimEventBase>(h: History<S, E>, from: number, tests: readonly StepTest<S, E>[], o: ScanOptions = {}, lo = 1): ScanResult {
  if (!tests.some((t) => t.needsState)) return scanEvents(h, from - 1, lo, -1, tests, ticker(o.onProgress, from, lo, o.progressEveryMs ?? PROGRESS_EVERY_MS));
  return backward(h, from, lo, o, (env, m) => runTests(tests, env, () => m));
}

/** A value to follow back through a history: how to read it, and an object that must change when it does. */
export interface Watched<S> {
  read(model: S): unknown;
  /** An object immer copies whenever the value changes (the value itself, or its container). */
  probe(model: S): unknown;
}

/** The value at a state path, probed by its own identity or, for a primitive, its container's. */
export function watchedPath<S>(path: StatePath): Watched<S> {
  return {
    read: (m) => readStatePath(m, path),
    probe: (m) => {
      const v = readStatePath(m, path);
      return v !== null && typeof v === 'object' ? v : readStatePath(m, path.slice(0, -1));
    },
  };
}

/**
 * The last event in [lo, upTo] after which the watched value differs (as JSON) from its value
 * before the event. It compares the value itself, so an event that rewrites a container (the
 * memory model replaces whole pageblock arrays) without changing the value is not a write.
 * Snapshot intervals over which the probe kept its identity are skipped unreplayed: immer copies
 * every object on a written path.
 */
export function lastChange<S, E extends SimEventBase>(h: History<S, E>, upTo: number, w: Watched<S>, o: ScanOptions = {}, lo = 1): number | null {
  const tick = ticker(o.onProgress, upTo, lo, o.progressEveryMs ?? PROGRESS_EVERY_MS);
  const json = (m: S): string => JSON.stringify(w.read(m)) ?? 'undefined';
  const k = h.engine.snapshotEvery;
  let hi = upTo;
  while (hi >= lo) {
    const start = Math.max(lo - 1, Math.floor((hi - 1) / k) * k);
    const before = h.stateAt(start).model;
    if (w.probe(before) !== w.probe(h.stateAt(hi).model)) {
      let prev = json(before);
      let hit: number | null = null;
      replayDraft(h, start, hi, (env, m) => {
        const v = json(m);
        if (v !== prev) { hit = env.seq; prev = v; }
        return false;
      });
      if (hit !== null) return hit;
    }
    tick(start + 1);
    hi = start;
  }
  return null;
}
