import { createCmaState, type CmaConfig } from './cma/createCmaState.ts';
import { createDevicesState, type DevicesConfig } from './devices/createDevicesState.ts';
import { createMemoryState, type MachineConfig } from './memory/createMemoryState.ts';
import { createPageCacheState, type PageCacheConfig } from './pagecache/createPageCacheState.ts';
import type { SimState } from './state.ts';
import { createWorkloadState, type WorkloadConfig } from './workload/createWorkloadState.ts';

/** Everything boot needs: the machine, the CMA areas reserved at boot, the devices. */
export interface SimConfig {
  readonly machine: MachineConfig;
  readonly pagecache?: PageCacheConfig;
  readonly cma?: CmaConfig;
  readonly devices?: DevicesConfig;
  readonly workload?: WorkloadConfig;
}

/** Boot: lay out memory, then reserve CMA areas in it, then register devices. */
export function createInitialState(config: SimConfig): SimState {
  const memory = createMemoryState(config.machine);
  const pagecache = createPageCacheState(config.pagecache ?? {}, 'pagecache', memory.config.pageSize);
  const booted = createCmaState(config.cma ?? {}, memory);
  const devices = createDevicesState(config.devices ?? {});
  const workload = createWorkloadState(config.workload ?? {});
  return { memory: booted.memory, pagecache, cma: booted.cma, devices, workload };
}
