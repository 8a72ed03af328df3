/**
 * Every invariant of the simulation, composable: a suite checks one state (or one transition)
 * and reports violations; the caller adds the seq. Tests run them after every event; runs may.
 *
 * Checked step by step (a `prev` that passed is given), suites with an incremental form look
 * only at what changed since `prev` (models/invariants/diff.ts) and report what their full walk
 * would; `full: true` forces the full walk of every suite (the slow mode, to cross-check).
 */
import type { SimState } from '../state.ts';
import { checkDevicesInvariants } from '../devices/invariants.ts';
import { checkCmaInvariants, checkCmaSince } from './cma.ts';
import { checkIsolateNotAllocated, checkMemoryInvariants, checkMemorySince, walkMemory, type MemTotals } from './memory.ts';
import { checkPageCacheInvariants, checkPageCacheSince, walkPageCache, type PcTotals } from './pagecache.ts';
import type { Violation } from './violation.ts';

export type { Violation } from './violation.ts';
export { checkMemoryInvariants, checkIsolateNotAllocated } from './memory.ts';
export { checkPageCacheInvariants } from './pagecache.ts';

/** A suite's check of one state: the first violation, else what the next step's check carries over. */
export type SuiteCheck<T> = { readonly violation: Violation; readonly totals?: undefined } | { readonly violation: null; readonly totals: T };

/** `T`: what a suite carries from one checked state to the next (any: a list of suites carries different kinds). */
export interface InvariantSuite<T = any> {
  readonly name: string;
  /** Checks one state: null / [] when every invariant holds. */
  readonly check?: (s: SimState) => Violation | readonly Violation[] | null;
  /** Checks one step from prev to next (both committed states). */
  readonly transition?: (prev: SimState, next: SimState) => Violation | null;
  /**
   * The same invariants as `check`, checked step by step: `walk` checks a whole state, `since`
   * checks `next` given that `prev` passed with `carried` (what walk or since returned for it),
   * at the cost of what the step changed. Both must report check's first violation.
   */
  readonly incremental?: {
    readonly walk: (s: SimState) => SuiteCheck<T>;
    readonly since: (prev: SimState, next: SimState, carried: T) => SuiteCheck<T>;
  };
}

const first = (r: Violation | readonly Violation[] | null): Violation | null => (Array.isArray(r) ? (r[0] ?? null) : (r as Violation | null));
const passed = <T>(v: Violation | null, totals: T): SuiteCheck<T> => (v === null ? { violation: null, totals } : { violation: v });

const memory: InvariantSuite<MemTotals> = {
  name: 'memory', check: checkMemoryInvariants, transition: checkIsolateNotAllocated,
  incremental: { walk: (s) => walkMemory(s.memory), since: (a, b, t) => checkMemorySince(a.memory, b.memory, t) },
};
const pagecache: InvariantSuite<PcTotals> = {
  name: 'pagecache', check: checkPageCacheInvariants,
  incremental: { walk: walkPageCache, since: checkPageCacheSince },
};
const cma: InvariantSuite<true> = {
  name: 'cma', check: checkCmaInvariants,
  incremental: { walk: (s) => passed(checkCmaInvariants(s)[0] ?? null, true), since: (a, b) => passed(checkCmaSince(a, b), true) },
};
const devices: InvariantSuite<true> = {
  name: 'devices', check: checkDevicesInvariants,
  incremental: {
    walk: (s) => passed(checkDevicesInvariants(s)[0] ?? null, true),
    // Devices read their own records and the CMA chunks they hold.
    since: (a, b) => passed(a.devices === b.devices && a.cma.chunks === b.cma.chunks ? null : (checkDevicesInvariants(b)[0] ?? null), true),
  },
};

export const INVARIANT_SUITES: readonly InvariantSuite[] = [memory, pagecache, cma, devices];

/** Per suite, the states that passed it step by step and what they carry to the next check. */
const passedStates = new WeakMap<InvariantSuite, WeakMap<SimState, unknown>>();

function checkSuite(suite: InvariantSuite, next: SimState, prev: SimState | undefined, full: boolean): Violation | null {
  const inc = suite.incremental;
  if (inc === undefined || full) return first(suite.check ? suite.check(next) : null);
  let memo = passedStates.get(suite);
  if (memo === undefined) passedStates.set(suite, (memo = new WeakMap()));
  const carried = prev === undefined ? undefined : memo.get(prev);
  const r = carried === undefined ? inc.walk(next) : inc.since(prev!, next, carried);
  if (r.violation === null) memo.set(next, r.totals);
  return r.violation;
}

/**
 * The first violation of `suites` in `next` (and in the step from `prev`, when given), with seq when
 * given. With a `prev` that passed, each suite checks only what changed; `full` walks everything.
 */
export function checkInvariants(next: SimState, opts: { prev?: SimState; seq?: number; suites?: readonly InvariantSuite[]; full?: boolean } = {}): Violation | null {
  for (const s of opts.suites ?? INVARIANT_SUITES) {
    let v = checkSuite(s, next, opts.prev, opts.full === true);
    if (v === null && s.transition && opts.prev) v = s.transition(opts.prev, next);
    if (v !== null) return opts.seq === undefined ? v : { ...v, seq: opts.seq };
  }
  return null;
}

/** One line for a violation: invariant, seq, pfn/pageblock, message. */
export function formatViolation(v: Violation): string {
  const where = [v.seq !== undefined ? `seq ${v.seq}` : '', v.pfn !== undefined ? `pfn 0x${v.pfn.toString(16)}` : '', v.pageblock !== undefined ? `pageblock ${v.pageblock}` : ''].filter(Boolean).join(', ');
  return `invariant ${v.invariant} violated${where ? ` (${where})` : ''}: ${v.message}`;
}
