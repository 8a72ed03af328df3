import { createCmaState, type CmaConfig } from './cma/createCmaState.ts';
import type { KernelProfile, KernelSetting } from './kernel/profile.ts';
import { resolveKernel } from './kernel/resolveKernel.ts';
import { createDevicesState, type DevicesConfig } from './devices/createDevicesState.ts';
import { createMemoryState, type MachineConfig } from './memory/createMemoryState.ts';
import { createPageCacheState, type PageCacheConfig } from './pagecache/createPageCacheState.ts';
import type { SimState } from './state.ts';
import { createWorkloadState, type WorkloadConfig } from './workload/createWorkloadState.ts';
import { createCpu, type CpuConfig } from './timing/cpu.ts';

/** Everything boot needs: the machine, the CMA areas reserved at boot, the devices. */
export interface SimConfig {
  /** Kernel profile: a version ('6.1') or { version, <field>: value } (models/kernel); default DEFAULT_KERNEL. */
  readonly kernel?: KernelSetting;
  readonly machine: MachineConfig;
  /** The machine's CPUs and background runnable threads (models/timing/cpu.ts); default: no contention. */
  readonly cpu?: CpuConfig;
  readonly pagecache?: PageCacheConfig;
  readonly cma?: CmaConfig;
  readonly devices?: DevicesConfig;
  readonly workload?: WorkloadConfig;
}

/** Boot: lay out memory, then reserve CMA areas in it, then register devices. */
export function createInitialState(config: SimConfig): SimState {
  const kernel = bootProfile(config);
  const memory = createMemoryState(config.machine, 'machine', kernel);
  const pagecache = createPageCacheState(config.pagecache ?? {}, 'pagecache', memory.config.pageSize, {
    congestion: kernel.reclaimThrottle === 'wait-iff-congested', kswapdThread: kernel.kswapd === 'thread', oldestInodes: kernel.backgroundWriteback === 'oldest-inodes',
  });
  const booted = createCmaState(config.cma ?? {}, memory, kernel, createCpu(config.cpu));
  const devices = createDevicesState(config.devices ?? {});
  const workload = createWorkloadState(config.workload ?? {});
  return { memory: booted.memory, pagecache, cma: booted.cma, devices, workload };
}

/**
 * The profile a run boots with: the `kernel` setting, with the older per-section switches
 * (cma.lockMode, cma.discardClean, machine.cmaFallback) overriding their profile fields when given.
 */
export function bootProfile(config: SimConfig): KernelProfile {
  const k = resolveKernel(config.kernel);
  const c = config.cma ?? {};
  return {
    ...k,
    ...(c.lockMode !== undefined ? { lockMode: c.lockMode } : {}),
    ...(c.discardClean !== undefined ? { discardClean: c.discardClean } : {}),
    ...(config.machine.cmaFallback !== undefined ? { cmaFallback: config.machine.cmaFallback } : {}),
  };
}
