/**
 * Wall time of a request's CPU-bound work: the expected fair-share stretch (timing/cpu.ts), or on a
 * machine that declares its timer frequency the tick scheduler (timing/sched.ts) run on the
 * request's own thread clock, so the waits for a CPU fall where the ticks put them.
 */
import { cpuTime } from '../timing/cpu.ts';
import { onCpuAt, runFor, schedOf } from '../timing/sched.ts';
import type { D, DReq } from './access.ts';

/** Wall ns the request's thread takes for `ns` of CPU work starting at `now`; advances its clock. */
export function cpuWall(d: D, r: DReq, now: number, ns: number): number {
  const s = schedOf(d.cma.cpu);
  if (s === null) return cpuTime(d.cma.cpu, ns);
  // The thread is on a CPU when it makes the call.
  const out = runFor(s, r.runClock ?? onCpuAt(s, r.submittedAt), now, ns);
  r.runClock = out.clock;
  return out.wall;
}

/** Whether the tick scheduler is on: then wall time beyond the work is run-queue wait, recorded apart. */
export function ticksOn(d: D): boolean {
  return schedOf(d.cma.cpu) !== null;
}

/** `ns` of work as a decomposition shows it: stretched by the fair share, or as it is under the ticks (the rest is run-queue wait). */
export function workShare(d: D, ns: number): number {
  return ticksOn(d) ? ns : cpuTime(d.cma.cpu, ns);
}
