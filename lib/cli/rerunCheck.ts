import { runScenario } from '../scenario/runScenario.ts';
import type { LoadedLog } from './loadLog.ts';

const show = (x: unknown): string => {
  const s = JSON.stringify(x);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

/**
 * Run the log's scenario again from scratch with the log's seed and bounds and compare the new
 * log with the recorded one, event by event: null when identical, else where they first differ.
 * Folding a log only proves the reducers; this proves the whole simulation (scheduling, ties,
 * randomness) reproduces.
 */
export function rerunDivergence(l: LoadedLog): string | null {
  const recorded = l.replayed.history.engine.log;
  const o = runScenario(l.scenario, {
    seed: l.replayed.header.seed, until: l.until,
    ...(l.stopReason === 'maxEvents' ? { maxEvents: recorded.lastSeq } : {}),
    checkInvariants: l.stopReason === 'violation',
  });
  const fresh = o.history.engine.log;
  const n = Math.max(recorded.lastSeq, fresh.lastSeq);
  for (let s = 1; s <= n; s++) {
    if (!recorded.has(s)) return `the re-run has more events: seq ${s} is ${show(fresh.envelope(s))}, the log ends at seq ${recorded.lastSeq}`;
    if (!fresh.has(s)) return `the re-run stops at seq ${fresh.lastSeq}; the log goes on with ${show(recorded.envelope(s))}`;
    const a = recorded.envelope(s), b = fresh.envelope(s);
    if (a.time !== b.time || a.priority !== b.priority || a.cause !== b.cause || JSON.stringify(a.event) !== JSON.stringify(b.event)) {
      return `the re-run diverges at seq ${s}: the log has ${show(a)}, the re-run ${show(b)}`;
    }
  }
  return null;
}
