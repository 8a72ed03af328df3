/**
 * Wall time of a request's CPU-bound work: the expected fair-share stretch (timing/cpu.ts), or on a
 * machine that declares its timer frequency the tick scheduler (timing/sched.ts) run on the
 * request's own thread clock, so the waits for a CPU fall where the ticks put them.
 */
import { cpuTime } from '../timing/cpu.ts';
import { onCpuAt, runFor, schedOf } from '../timing/sched.ts';
import type { D, DReq } from './access.ts';
import type { RunQueueWait } from './request.ts';

/**
 * Wall ns the request's thread takes for `ns` of CPU work starting at `now`; advances its clock.
 * Under the tick scheduler the wait beyond the work is recorded on the current attempt under `part`.
 */
export function cpuWall(d: D, r: DReq, now: number, ns: number, part?: keyof RunQueueWait): number {
  const s = schedOf(d.cma.cpu);
  if (s === null) return cpuTime(d.cma.cpu, ns);
  // The thread is on a CPU when it makes the call.
  const out = runFor(s, r.runClock ?? onCpuAt(s, r.submittedAt), now, ns);
  r.runClock = out.clock;
  const at = r.attempts[r.attempts.length - 1];
  if (part !== undefined && at !== undefined) {
    const w = at.runQueueWait ?? { isolation: 0, migration: 0, finishing: 0 };
    at.runQueueWait = { ...w, [part]: w[part] + out.wall - ns };
  }
  return out.wall;
}

/** `ns` of work as a decomposition shows it: stretched by the fair share, or as it is under the ticks (the rest is run-queue wait). */
export function workShare(d: D, ns: number): number {
  return schedOf(d.cma.cpu) !== null ? ns : cpuTime(d.cma.cpu, ns);
}
