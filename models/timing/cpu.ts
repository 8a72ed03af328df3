/**
 * CPU contention. The allocating thread shares the machine's CPUs with background runnable
 * threads (a parallel build such as `make -j16`, reference §7). Under a fair-share scheduler (CFS)
 * each of n runnable threads on c CPUs gets min(1, c / n) of a CPU, so CPU-bound work that costs w
 * ns alone takes w * max(1, n / c); n counts the allocating thread itself. This is the expected
 * stretch, not a sampled one, so runs stay deterministic and the factor is exact.
 */
export interface CpuConfig {
  /** CPUs of the machine; default 1. */
  readonly cpus?: number;
  /** Background runnable threads competing with the allocating thread; default 0. */
  readonly load?: number;
  /** false: CPU-bound work takes its cost as if the thread had a CPU to itself; default true. */
  readonly contention?: boolean;
  /** Timer frequency (CONFIG_HZ): the allocating thread is scheduled by the ticks of sched.ts instead of the fair-share stretch. */
  readonly hz?: number;
}

/** The machine's CPUs as the models read them. */
export interface Cpu {
  readonly cpus: number;
  /** Runnable threads while an allocation runs: the background load plus the allocating thread. */
  readonly runnable: number;
  readonly contention: boolean;
  /** CONFIG_HZ when the tick scheduler of sched.ts is on; absent: the fair-share stretch of cpuTime. */
  readonly hz?: number;
}

export const NO_CONTENTION: Cpu = Object.freeze({ cpus: 1, runnable: 1, contention: true });

function count(v: unknown, where: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new Error(`${where}: expected an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
  return v;
}

/** Check a CpuConfig; errors name the field under `where` (machine.cpus, machine.load, ...). */
export function createCpu(cfg: CpuConfig = {}, where = 'machine'): Cpu {
  const cpus = count(cfg.cpus, `${where}.cpus`, 1, 4096, 1);
  const load = count(cfg.load, `${where}.load`, 0, 1_000_000, 0);
  if (cfg.contention !== undefined && typeof cfg.contention !== 'boolean') throw new Error(`${where}.cpuContention: expected true or false, got ${JSON.stringify(cfg.contention)}`);
  const hz = cfg.hz === undefined ? undefined : count(cfg.hz, `${where}.hz`, 1, 100_000, 0);
  return Object.freeze({ cpus, runnable: load + 1, contention: cfg.contention ?? true, ...(hz !== undefined ? { hz } : {}) });
}

/** Wall time of `ns` of CPU-bound work on `cpu`: ns * max(1, runnable / cpus), in integer ns. */
export function cpuTime(cpu: Cpu, ns: number): number {
  if (!cpu.contention || cpu.runnable <= cpu.cpus) return ns;
  return Math.round((ns * cpu.runnable) / cpu.cpus);
}
