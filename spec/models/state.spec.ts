import { expect } from 'chai';
import { createDraft, type Draft } from 'immer';
import type { Handler } from '../../models/context.ts';
import { mutMemory } from '../../models/memory/mutMemory.ts';
import { isolateRange } from '../../models/mm/contig.ts';
import type { SimDraft, SimState } from '../../models/state.ts';
import { simState } from './memory/sim.ts';

describe('models/state: SimDraft', () => {
  it('lets a reducer write cma, devices and workload through the draft, but memory and page cache only through their overlays (checked by tsc)', () => {
    const s = simState({ memory: '16M', minFreeKbytes: 0 });
    const d = createDraft(s) as Draft<SimState> as SimDraft;
    const h: Handler<{ type: 'x' }> = (draft) => {
      // @ts-expect-error memory is readonly in a reducer's draft: write it through mutMemory
      draft.memory.nextSerial = 7;
      // @ts-expect-error a pageblock is written through mutMemory's pbWrite, never the draft
      draft.memory.pageblocks[0] = draft.memory.pageblocks[1];
      // @ts-expect-error the page cache is written through mutPagecache
      draft.pagecache.writebackBusyUntil = 1;
      // @ts-expect-error nor can a reducer hand memory to something that takes a mutable draft of it
      const escape: Draft<SimState['memory']> = draft.memory;
      void escape;
      mutMemory(draft.memory).dm.nextSerial = 9; // the overlay is the writable view
    };
    // At run time an immer draft takes any write: only the type stands between a reducer and a write the overlays miss.
    h(d, { type: 'x' }, undefined as never);
    expect(d.memory.nextSerial).to.equal(9);
    isolateRange(d, 0, 512); // the contig API takes the reducer's draft as it is
    expect(d.memory.pageblocks[0].mt).to.equal('ISOLATE');
  });
});
