import type { CmaState } from './cma/state.ts';
import type { DevicesState } from './devices/state.ts';
import type { MemoryState } from './memory/state.ts';
import type { PageCacheState } from './pagecache/state.ts';
import type { WorkloadState } from './workload/state.ts';

/** The whole model state, one slice per aggregate. Readonly: reducers change it only through immer drafts. */
export interface SimState {
  readonly memory: MemoryState;
  readonly pagecache: PageCacheState;
  readonly cma: CmaState;
  readonly devices: DevicesState;
  /** Workload generators' own state (next arrival, counters): generators are events too. */
  readonly workload: WorkloadState;
}
