/**
 * Run a target's inputs [from, to) in this process and sort each outcome: accepted, rejected with
 * the project's own one-line error, or a foreign failure (any other exception, or over the time
 * limit). Foreign failures are shrunk to a minimal input that fails the same way.
 */
import type { Target } from './targets.ts';

export const TIME_LIMIT_MS = 2000;

export interface Failure {
  readonly target: string;
  readonly index: number;
  /** 'exception: TypeError: ...', 'over 2000 ms', 'over the memory budget', 'hang'. */
  readonly kind: string;
  /** The shrunk input that still fails this way (the full input for hangs and memory). */
  readonly reproducer: string;
}

export interface Tally {
  inputs: number;
  accepted: number;
  rejected: number;
  foreign: Failure[];
}

export const emptyTally = (): Tally => ({ inputs: 0, accepted: 0, rejected: 0, foreign: [] });

/** How one input ends: null when accepted or rejected by our error; else the failure kind. */
export function outcome(t: Target, input: string): { accepted: boolean; failure: string | null } {
  const t0 = performance.now();
  let accepted = false;
  let failure: string | null = null;
  try {
    t.run(input);
    accepted = true;
  } catch (e) {
    if (!t.ours(e)) failure = `exception: ${(e as Error)?.name ?? typeof e}: ${String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200)}`;
  }
  if (failure === null && performance.now() - t0 > TIME_LIMIT_MS) failure = `over ${TIME_LIMIT_MS} ms`;
  return { accepted, failure };
}

/** The failure class without details that change as the input shrinks. */
const classOf = (kind: string): string => kind.replace(/:\s.*$/, (m) => m.split(' ').slice(0, 3).join(' '));

/** Delta debugging, bounded: drop chunks (halves down to single characters) while it still fails the same way. */
export function shrink(t: Target, input: string, kind: string, budgetMs = 10_000): string {
  if (kind.startsWith('over')) return input;
  const want = classOf(kind);
  const start = performance.now();
  let cur = input;
  for (let chunk = Math.max(1, cur.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let i = 0; i + chunk <= cur.length && performance.now() - start < budgetMs;) {
      const next = cur.slice(0, i) + cur.slice(i + chunk);
      const f = outcome(t, next).failure;
      if (f !== null && classOf(f) === want) cur = next;
      else i += chunk;
    }
  }
  return cur;
}

export function runRange(t: Target, seed: number, from: number, to: number, tally: Tally, onFailure?: (f: Failure) => void, shrinkMs = 10_000): Tally {
  for (let i = from; i < to; i++) {
    const input = t.input(seed, i);
    const o = outcome(t, input);
    tally.inputs++;
    if (o.failure !== null) {
      const f: Failure = { target: t.name, index: i, kind: o.failure, reproducer: shrink(t, input, o.failure, shrinkMs) };
      tally.foreign.push(f);
      onFailure?.(f);
    } else if (o.accepted) tally.accepted++;
    else tally.rejected++;
  }
  return tally;
}
