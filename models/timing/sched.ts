/**
 * The allocating thread under a tick-driven CFS (kernel/sched/fair.c, v3.17; the rules below are
 * unchanged from 2.6.38 to 6.5), instead of the fair-share stretch of cpu.ts. A machine gets it by
 * declaring its timer frequency (`machine.hz`); without one, CPU-bound work stretches by the
 * expected fair share as before.
 *
 * The figures, all from the scheduler's defaults at that version:
 * - sysctl_sched_latency 6 ms, sysctl_sched_min_granularity 0.75 ms, sysctl_sched_wakeup_granularity
 *   1 ms, each multiplied at boot by 1 + ilog2(min(online CPUs, 8)) (SCHED_TUNABLESCALING_LOG, the
 *   default of sysctl_sched_tunable_scaling; get_update_sysctl_factor);
 * - sched_nr_latency 8: the period is sysctl_sched_latency, or nr_running * min_granularity when
 *   more than 8 threads share a run queue (__sched_period); equal-weight (nice 0) threads each get
 *   period / nr_running of it (sched_slice);
 * - preemption of a running thread is decided at the timer tick (scheduler_tick -> task_tick_fair ->
 *   check_preempt_tick: delta_exec > ideal_runtime), so a thread that got the CPU at t keeps it until
 *   the first tick after t + slice (HRTICK is off by default: SCHED_FEAT(HRTICK, false));
 * - a woken thread is placed at max(its vruntime, min_vruntime - sched_latency / 2)
 *   (place_entity with GENTLE_FAIR_SLEEPERS) and preempts the running one only when it is behind by
 *   more than the wakeup granularity (check_preempt_wakeup / wakeup_preempt_entity); otherwise it is
 *   the leftmost entity and runs when the running thread's quantum ends.
 *
 * The model, one thread (the allocating one) against `runnable - 1` CPU-bound peers spread evenly
 * over the CPUs, so n = runnable / cpus threads share its run queue (n may be fractional: the load
 * balancer moves threads so that the mean is what counts):
 * 1. Quantum: a thread that gets the CPU at t runs until the first tick after t + slice.
 * 2. Rotation: preempted at the end of its quantum, it gets the CPU back after the other n - 1 have
 *    had theirs, (n - 1) * Q later, for a quantum Q = (floor(slice / tick) + 1) * tick: the quantum
 *    of a thread that got the CPU at a tick, as one does when the thread before it is preempted.
 *    So long work runs Q in every n * Q, the fair share.
 * 3. Wakeup: after sleeping g ns (I/O, a mutex, anything scheduled later than its last CPU work
 *    ended) its lag is min(g / (n - 1), latency / 2) (the peers' vruntime advanced meanwhile). Lag
 *    above the wakeup granularity: it runs at once (rule 1 from now). Otherwise it waits for the end
 *    of the quantum of the peer that took its CPU when it went to sleep (rule 1 from the sleep, one
 *    peer after another while they end before the wakeup).
 * Deterministic: tick times are multiples of the tick period since boot, and nothing is drawn.
 */
import type { Cpu } from './cpu.ts';

export const NS_PER_MS = 1_000_000;
/** kernel/sched/fair.c v3.17 normalized defaults, before scaling by the CPU count. */
export const SCHED_LATENCY_NS = 6 * NS_PER_MS;
export const SCHED_MIN_GRANULARITY_NS = 750_000;
export const SCHED_WAKEUP_GRANULARITY_NS = 1 * NS_PER_MS;
/** sched_nr_latency: above this many runnable threads the period grows with them. */
export const SCHED_NR_LATENCY = 8;

/** The scheduler's figures for one machine, or null when the thread never waits for a CPU. */
export interface Sched {
  readonly tickNs: number;
  /** Threads sharing the allocating thread's run queue (itself included). */
  readonly perCpu: number;
  readonly latencyNs: number;
  readonly sliceNs: number;
  readonly wakeupGranNs: number;
  /** Q of rule 2: the quantum of a thread that got the CPU at a tick. */
  readonly quantumNs: number;
}

/** 1 + ilog2(min(cpus, 8)): get_update_sysctl_factor under SCHED_TUNABLESCALING_LOG. */
export function scalingFactor(cpus: number): number {
  return 1 + Math.floor(Math.log2(Math.min(cpus, 8)));
}

/** The tick scheduler of `cpu`, or null: no `hz`, contention switched off, or a CPU for every runnable thread. */
export function schedOf(cpu: Cpu): Sched | null {
  if (cpu.hz === undefined || !cpu.contention || cpu.runnable <= cpu.cpus) return null;
  const f = scalingFactor(cpu.cpus);
  const latencyNs = SCHED_LATENCY_NS * f;
  const perCpu = cpu.runnable / cpu.cpus;
  const period = perCpu > SCHED_NR_LATENCY ? perCpu * SCHED_MIN_GRANULARITY_NS * f : latencyNs;
  const sliceNs = Math.round(period / perCpu);
  const tickNs = Math.round(1e9 / cpu.hz);
  return { tickNs, perCpu, latencyNs, sliceNs, wakeupGranNs: SCHED_WAKEUP_GRANULARITY_NS * f, quantumNs: (Math.floor(sliceNs / tickNs) + 1) * tickNs };
}

/** Where the thread stands: its quantum's end while it runs, and when its last CPU work ended. */
export interface RunClock {
  readonly quantumEnd: number;
  readonly lastEnd: number;
}

/** Rule 1: the first tick after t + slice. */
export function quantumEnd(s: Sched, t: number): number {
  return (Math.floor((t + s.sliceNs) / s.tickNs) + 1) * s.tickNs;
}

/** A thread that has just got the CPU at `t` (a request's thread at submission: it is making the call). */
export function onCpuAt(s: Sched, t: number): RunClock {
  return { quantumEnd: quantumEnd(s, t), lastEnd: t };
}

/** Rule 3: when a thread that slept from clock.lastEnd gets the CPU back, woken at `now`. */
export function wakeAt(s: Sched, clock: RunClock, now: number): number {
  const lag = Math.min((now - clock.lastEnd) / (s.perCpu - 1), s.latencyNs / 2);
  if (lag > s.wakeupGranNs) return now;
  let t = quantumEnd(s, clock.lastEnd);
  while (t < now) t = quantumEnd(s, t);
  return t;
}

/**
 * Run `ns` of CPU work from `now` (rules 1-3): the wall time it takes and the clock after it. Work
 * that continues the thread's last (gap 0) keeps its quantum; after a gap the thread first wakes.
 */
export function runFor(s: Sched, clock: RunClock, now: number, ns: number): { wall: number; clock: RunClock } {
  if (now === clock.lastEnd && ns === 0) return { wall: 0, clock };
  let t = now, end = clock.quantumEnd;
  if (now > clock.lastEnd) {
    t = wakeAt(s, clock, now);
    end = quantumEnd(s, t);
  }
  const off = Math.round((s.perCpu - 1) * s.quantumNs);
  let rem = ns;
  // Preempted at the end of each quantum the work outlasts (rule 2); a quantum already over when
  // the work starts (it continues exactly at the tick) is no time to run in.
  while (rem > 0 && rem > end - t) {
    rem -= Math.max(0, end - t);
    t = Math.max(t, end) + off;
    end = t + s.quantumNs;
  }
  const last = t + rem;
  return { wall: last - now, clock: { quantumEnd: end, lastEnd: last } };
}
