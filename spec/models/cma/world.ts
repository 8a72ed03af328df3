/**
 * Test fixture for the CMA specs (not a spec itself): boots a small machine with CMA areas, runs it
 * in the shared harness with every invariant checked after every event, and fills or pins pages
 * directly through the memory and page-cache helpers.
 */
import { produce, type Draft } from 'immer';
import type { SimEvent } from '../../../events/index.ts';
import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import type { CmaConfig } from '../../../models/cma/createCmaState.ts';
import { insertPage } from '../../../models/pagecache/pageOps.ts';
import { allocWithReclaim, muts } from '../../../models/pagecache/reclaim.ts';
import type { SimState } from '../../../models/state.ts';
import { pagecacheOf, pageState } from '../../../models/mm/contig.ts';
import { Sim } from '../../fixtures/sim.ts';

export type World = Sim;

export function boot(cma: CmaConfig, machine: SimConfig['machine'] = { memory: '16M' }, kernel?: SimConfig['kernel']): SimState {
  return createInitialState({ machine, cma, kernel });
}

/** The shared harness (spec/fixtures/sim.ts) over `state`, collecting every invariant violation after every event. */
export function world(state: SimState, seed = 1, checkInvariants = true): { engine: World; violations: string[] } {
  const engine = new Sim(state, { seed, snapshotEvery: 1 << 30, check: checkInvariants ? 'collect' : 'off' });
  return { engine, violations: engine.violations };
}

/**
 * Fill memory with page cache (`file`, indices from 0) until `pages` pages are cached; with
 * `untilFull`, stop quietly when the allocator has nothing left instead of throwing.
 */
export function fillPageCache(s: SimState, pages: number, file = 'f', untilFull = false): SimState {
  return produce(s, (d) => {
    const { m, p } = muts(d as Draft<SimState>);
    for (let i = 0; i < pages; i++) {
      const pfn = allocWithReclaim(m, p, { mt: 'MOVABLE', order: 0 });
      if (pfn < 0) {
        if (untilFull) return;
        throw new Error(`fillPageCache: out of memory after ${i} pages`);
      }
      insertPage(m, p, file, i, pfn);
    }
  });
}

/** A short-term `page.pin` (get_user_pages / O_DIRECT) of the page-cache page at pfn, by file and index. */
export function pinEvent(s: SimState, pfn: number, id: string): SimEvent {
  return { type: 'page.pin', id, ...pageRef(s, pfn) };
}

/** File and index of the page-cache page at pfn. */
export function pageRef(s: SimState, pfn: number): { file: string; index: number } {
  const info = pageState(s, pfn);
  if (info.kind !== 'pagecache' || info.fileId === null) throw new Error(`pageRef: pfn 0x${pfn.toString(16)} is ${info.kind}, not page cache`);
  const { file, index } = pagecacheOf(s, pfn)!;
  return { file, index };
}

/** First page-cache pfn in [from, to); throws when there is none (the fixture did not fill enough). */
export function firstPagecache(s: SimState, from: number, to: number): number {
  for (let p = from; p < to; p++) if (pageState(s, p).kind === 'pagecache') return p;
  throw new Error(`no page-cache page in [0x${from.toString(16)}, 0x${to.toString(16)})`);
}

export const req = (over: Partial<Extract<SimEvent, { type: 'cma.alloc.request' }>> & { count: number }): SimEvent => ({
  type: 'cma.alloc.request', align: 0, requester: 'dev', pid: 100, ...over,
});
