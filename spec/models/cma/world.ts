/**
 * Test fixture for the CMA specs (not a spec itself): boots a small machine with CMA areas, runs the
 * engine with every invariant checked after every event, and fills or pins pages directly through
 * the memory and page-cache helpers.
 */
import { produce, type Draft } from 'immer';
import { Engine } from '../../../lib/engine/index.ts';
import type { SimEvent } from '../../../events/index.ts';
import { cmaSimModel } from '../../../models/cmaSimModel.ts';
import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import { checkCmaInvariants } from '../../../models/invariants/cma.ts';
import type { CmaConfig } from '../../../models/cma/createCmaState.ts';
import { mutMemory, pbIndexIn, pbWrite } from '../../../models/memory/mutMemory.ts';
import { insertPage } from '../../../models/pagecache/pageOps.ts';
import { allocWithReclaim, muts } from '../../../models/pagecache/reclaim.ts';
import type { SimState } from '../../../models/state.ts';
import { pageState } from '../../../models/memory/contig.ts';

export type World = Engine<SimState, SimEvent>;

export function boot(cma: CmaConfig, machine: SimConfig['machine'] = { memory: '64M' }): SimState {
  return createInitialState({ machine, cma });
}

/** An engine whose every dispatched event is followed by the CMA invariants check. */
export function world(state: SimState, seed = 1, checkInvariants = true): { engine: World; violations: string[] } {
  const engine = new Engine<SimState, SimEvent>(cmaSimModel as never, state, { seed, snapshotEvery: 1 << 30 });
  const violations: string[] = [];
  if (checkInvariants) engine.events$.subscribe((env) => {
    for (const v of checkCmaInvariants(engine.state.model)) violations.push(`seq ${env.seq} ${env.event.type}: ${v.invariant}: ${v.message}`);
  });
  return { engine, violations };
}

/** Fill memory with page cache (file 'f', indices from 0) until `pages` pages are cached. */
export function fillPageCache(s: SimState, pages: number, file = 'f'): SimState {
  return produce(s, (d) => {
    const { m, p } = muts(d as Draft<SimState>);
    for (let i = 0; i < pages; i++) {
      const pfn = allocWithReclaim(m, p, { mt: 'MOVABLE', order: 0 });
      if (pfn < 0) throw new Error(`fillPageCache: out of memory after ${i} pages`);
      insertPage(m, p, file, i, pfn);
    }
  });
}

/** Short-term pin on one page (as get_user_pages would take), written straight into the pageblock. */
export function pinPfn(s: SimState, pfn: number, delta = 1): SimState {
  return produce(s, (d) => {
    const m = mutMemory((d as Draft<SimState>).memory);
    const w = pbWrite(m, pbIndexIn(m.banks, m.pbOrder, pfn));
    const key = String(pfn & (m.pbPages - 1));
    const n = (w.pins?.[key] ?? 0) + delta;
    const pins = { ...(w.pins ?? {}) };
    if (n > 0) pins[key] = n;
    else delete pins[key];
    w.pins = Object.keys(pins).length > 0 ? pins : null;
  });
}

/** First page-cache pfn in [from, to); throws when there is none (the fixture did not fill enough). */
export function firstPagecache(s: SimState, from: number, to: number): number {
  for (let p = from; p < to; p++) if (pageState(s, p).kind === 'pagecache') return p;
  throw new Error(`no page-cache page in [0x${from.toString(16)}, 0x${to.toString(16)})`);
}

export const req = (over: Partial<Extract<SimEvent, { type: 'cma.alloc.request' }>> & { count: number }): SimEvent => ({
  type: 'cma.alloc.request', align: 0, requester: 'dev', pid: 100, ...over,
});
