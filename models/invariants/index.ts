/**
 * Every invariant of the simulation, composable: a suite checks one state (or one transition)
 * and reports violations; the caller adds the seq. Tests run them after every event; runs may.
 */
import type { SimState } from '../state.ts';
import { checkDevicesInvariants } from '../devices/invariants.ts';
import { checkCmaInvariants } from './cma.ts';
import { checkIsolateNotAllocated, checkMemoryInvariants } from './memory.ts';
import { checkPageCacheInvariants } from './pagecache.ts';
import type { Violation } from './violation.ts';

export type { Violation } from './violation.ts';
export { checkMemoryInvariants, checkIsolateNotAllocated } from './memory.ts';
export { checkPageCacheInvariants } from './pagecache.ts';

export interface InvariantSuite {
  readonly name: string;
  /** Checks one state: null / [] when every invariant holds. */
  readonly check?: (s: SimState) => Violation | readonly Violation[] | null;
  /** Checks one step from prev to next (both committed states). */
  readonly transition?: (prev: SimState, next: SimState) => Violation | null;
}

export const INVARIANT_SUITES: readonly InvariantSuite[] = [
  { name: 'memory', check: checkMemoryInvariants, transition: checkIsolateNotAllocated },
  { name: 'pagecache', check: checkPageCacheInvariants },
  { name: 'cma', check: checkCmaInvariants },
  { name: 'devices', check: checkDevicesInvariants },
];

/** The first violation of `suites` in `next` (and in the step from `prev`, when given), with seq when given. */
export function checkInvariants(next: SimState, opts: { prev?: SimState; seq?: number; suites?: readonly InvariantSuite[] } = {}): Violation | null {
  for (const s of opts.suites ?? INVARIANT_SUITES) {
    let v: Violation | null = null;
    if (s.check) {
      const r = s.check(next);
      v = Array.isArray(r) ? (r[0] ?? null) : (r as Violation | null);
    }
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
