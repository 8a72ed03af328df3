import { runScenario } from '../scenario/runScenario.ts';
import type { LoadedLog } from './loadLog.ts';

const show = (x: unknown): string => {
  const s = JSON.stringify(x);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

/**
 * Run the log's scenario again from scratch with the log's seed and bounds and compare everything
 * the log records with what the re-run produces, in order: the events (time, priority, cause,
 * event), the end of the run (clock and stop reason), the events still pending at the end (time,
 * priority, cause, when queued, event) and the assertion results. Null when all agree, else the first
 * difference. Folding a log only proves the reducers; this proves the whole simulation
 * (scheduling, ties, randomness) reproduces, and that no field of the log was edited to say
 * something the scenario does not produce.
 */
export function rerunDivergence(l: LoadedLog): string | null {
  const recordedEngine = l.replayed.history.engine;
  const recorded = recordedEngine.log;
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
    // An injected event records when it was injected; the footer's pending events depend on it.
    if (recorded.afterOf(s) !== fresh.afterOf(s)) return `the re-run diverges at seq ${s}: the log says it was queued after ${recorded.afterOf(s)} events, the re-run after ${fresh.afterOf(s)}`;
  }
  if (o.summary.simTimeNs !== l.now) return `the re-run ends at ${o.summary.simTimeNs} ns, the log (meta.now) at ${l.now} ns`;
  if (o.summary.stopReason !== l.stopReason) return `the re-run stopped by '${o.summary.stopReason}', the log (meta.stopReason) says '${l.stopReason}'`;
  const pa = recordedEngine.pending(), pb = o.history.engine.pending();
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const a = pa[i], b = pb[i];
    const view = (p: typeof a) => (p === undefined ? 'nothing' : show(p));
    if (a === undefined || b === undefined || a.time !== b.time || a.priority !== b.priority || a.cause !== b.cause || a.after !== b.after || JSON.stringify(a.event) !== JSON.stringify(b.event)) {
      return `pending event ${i} at the end differs: the log has ${view(a)}, the re-run ${view(b)}`;
    }
  }
  if (l.assertions !== null) {
    const ra = l.assertions, fa = o.summary.assertions;
    for (let i = 0; i < Math.max(ra.length, fa.length); i++) {
      if (JSON.stringify(ra[i] ?? null) !== JSON.stringify(fa[i] ?? null)) return `assertion ${i} differs: the log (meta.assertions) has ${show(ra[i] ?? null)}, the re-run ${show(fa[i] ?? null)}`;
    }
  }
  return null;
}
