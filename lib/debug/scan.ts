import { performance } from 'node:perf_hooks';
import { createDraft, type Draft } from 'immer';
import { applyEvent, BatchContext } from '../engine/reduceContext.ts';
import type { Envelope, SimEventBase, World } from '../engine/types.ts';
import type { History } from '../history/history.ts';

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
  /** Last seq examined; the next scan in the same direction can resume from here. */
  readonly reached: number;
  /** True when the scan stopped on the time budget rather than at the end of the timeline. */
  readonly timedOut: boolean;
}

/** Interactive commands must answer within about a second even on a million-event log. */
export const SCAN_BUDGET_MS = 800;

/**
 * Replays (from, to] into one immer draft, calling `visit` after each event with the draft's
 * model; a draft, not a finished state per event, is what keeps a state scan at replay speed.
 */
function replayDraft<S, E extends SimEventBase>(h: History<S, E>, from: number, to: number, visit: (env: Envelope<E>, model: S) => boolean, deadline: number): number {
  const world = h.stateAt(from);
  const draft = createDraft(world) as Draft<World<S>>;
  const ctx = new BatchContext<E>(world.rng, false);
  const model = h.engine.model;
  for (let s = from + 1; s <= to; s++) {
    const env = h.envelope(s);
    ctx.now = env.time;
    ctx.seq = s;
    applyEvent(model, draft.model as Draft<S>, env.event, ctx);
    if (visit(env, draft.model as S)) return s;
    if (performance.now() > deadline) return -s; // per event: one state check can be slow
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

/** The first seq in (from, to] after which one of `tests` holds. */
export function scanForward<S, E extends SimEventBase>(h: History<S, E>, from: number, to: number, tests: readonly StepTest<S, E>[], budgetMs = SCAN_BUDGET_MS): ScanResult {
  const deadline = performance.now() + budgetMs;
  if (!tests.some((t) => t.needsState)) {
    const noState = (): S => { throw new Error('state not available'); };
    for (let s = from + 1; s <= to; s++) {
      const r = runTests(tests, h.envelope(s), noState);
      if (r !== null) return { seq: s, reason: r, reached: s, timedOut: false };
      if ((s & 4095) === 0 && performance.now() > deadline) return { seq: null, reason: null, reached: s, timedOut: true };
    }
    return { seq: null, reason: null, reached: to, timedOut: false };
  }
  let reason: string | null = null;
  const r = replayDraft(h, from, to, (env, m) => (reason = runTests(tests, env, () => m)) !== null, deadline);
  if (r > 0) return { seq: r, reason, reached: r, timedOut: false };
  if (r < 0) return { seq: null, reason: null, reached: -r, timedOut: true };
  return { seq: null, reason: null, reached: to, timedOut: false };
}

/** The last seq in [lo, from) (lo >= 1) after which one of `tests` holds. */
export function scanBackward<S, E extends SimEventBase>(h: History<S, E>, from: number, tests: readonly StepTest<S, E>[], budgetMs = SCAN_BUDGET_MS, lo = 1): ScanResult {
  const deadline = performance.now() + budgetMs;
  if (!tests.some((t) => t.needsState)) {
    const noState = (): S => { throw new Error('state not available'); };
    for (let s = from - 1; s >= lo; s--) {
      const r = runTests(tests, h.envelope(s), noState);
      if (r !== null) return { seq: s, reason: r, reached: s, timedOut: false };
      if ((s & 4095) === 0 && performance.now() > deadline) return { seq: null, reason: null, reached: s, timedOut: true };
    }
    return { seq: null, reason: null, reached: lo, timedOut: false };
  }
  // Walk back one snapshot interval at a time, replaying each forward and keeping its last hit.
  const k = h.engine.snapshotEvery;
  let hi = from - 1;
  while (hi >= lo) {
    const start = Math.max(lo - 1, Math.floor((hi - 1) / k) * k);
    let hit: number | null = null;
    let reason: string | null = null;
    replayDraft(h, start, hi, (env, m) => {
      const r = runTests(tests, env, () => m);
      if (r !== null) { hit = env.seq; reason = r; }
      return false;
    }, Infinity);
    if (hit !== null) return { seq: hit, reason, reached: hit, timedOut: false };
    if (performance.now() > deadline) return { seq: null, reason: null, reached: start + 1, timedOut: true };
    hi = start;
  }
  return { seq: null, reason: null, reached: lo, timedOut: false };
}
