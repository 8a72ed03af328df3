import type { Draft } from 'immer';
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

/**
 * A reducer's draft of the state. The cma, devices and workload slices are written through the
 * draft as usual; memory and page cache stay readonly here, because they are written only through
 * their copy-once overlays (models/memory/mutMemory.ts, models/pagecache/mutPagecache.ts and the
 * maps of models/memory/recOverlay.ts), the only writable views of them.
 */
export type SimDraft = Omit<Draft<SimState>, 'memory' | 'pagecache'> & { readonly memory: MemoryState; readonly pagecache: PageCacheState };
