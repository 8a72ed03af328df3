import { expect } from 'chai';
import { History, logLines, modelHash, stateHash, worldHash } from '../../../lib/history/index.ts';
import { cmaSimModel } from '../../../models/cmaSimModel.ts';
import { recEntries } from '../../../models/memory/recOverlay.ts';
import { canonicalPageCache } from '../../../models/pagecache/canonical.ts';
import { extentSet } from '../../../models/pagecache/extents.ts';
import { lruEntries, pfnOfFilePage } from '../../../models/pagecache/queries.ts';
import { LRU_CHUNK } from '../../../models/pagecache/state.ts';
import type { SimState } from '../../../models/state.ts';
import { runChecked, simState } from '../memory/sim.ts';

/** The same LRU laid out `d` positions later (other chunks, other keys): the layout changes, the order does not. */
function relaid(s: SimState, d: number, order: (es: number[]) => number[] = (es) => es): SimState {
  const pc = s.pagecache;
  const es = order(lruEntries(s));
  const chunks: Record<string, Record<string, number[]>> = {};
  es.forEach((pfn, i) => {
    const pos = pc.lru.head + d + i, k = Math.floor(pos / LRU_CHUNK), g = String(Math.floor(k / 64));
    extentSet(((chunks[g] ??= {})[k] ??= []), pos, pfn, 1);
  });
  return { ...s, pagecache: { ...pc, lru: { head: pc.lru.head + d, tail: pc.lru.tail + d, chunks } } };
}

describe('models/pagecache/canonical', () => {
  const events = [
    { type: 'pagecache.fault', file: 'f', index: 0, count: 40 },
    { type: 'pagecache.fault', file: 'g', index: 7, count: 3 },
    { type: 'pagecache.evict', file: 'f', index: 10, count: 2 },
    { type: 'pagecache.fault', file: 'f', index: 0, count: 4 },
  ] as const;
  const { state } = runChecked(simState({ memory: '16M' }), events);

  it("writes a file's cached pages as maximal runs of consecutive indices and pfns", () => {
    const c = canonicalPageCache(state.pagecache);
    for (const name of ['f', 'g']) {
      const runs = c.files[name].runs;
      let pages = 0;
      for (let r = 0; r < runs.length; r += 3) {
        const [index, pfn, count] = runs.slice(r, r + 3);
        for (let j = 0; j < count; j++) expect(pfnOfFilePage(state, name, index + j), `${name}:${index + j}`).to.equal(pfn + j);
        expect(pfnOfFilePage(state, name, index + count), 'a run ends where the next index is not the next pfn').to.not.equal(pfn + count);
        pages += count;
      }
      expect(pages).to.equal(state.pagecache.files[name].nrPages);
    }
    expect(c.files.f.runs.slice(0, 3)[0]).to.equal(0);
    expect(pfnOfFilePage(state, 'f', 10)).to.equal(-1);
  });

  it('writes the LRU oldest first as runs of consecutive pfns, with the entries of pages that left as runs of -1', () => {
    const flat: number[] = [];
    const lru = canonicalPageCache(state.pagecache).lru;
    for (let r = 0; r < lru.length; r += 2) for (let j = 0; j < lru[r + 1]; j++) flat.push(lru[r] < 0 ? -1 : lru[r] + j);
    expect(flat).to.deep.equal(lruEntries(state));
    expect(flat.filter((x) => x < 0)).to.have.length(2);
    for (let r = 2; r < lru.length; r += 2) {
      const [pfn, count] = [lru[r - 2], lru[r - 1]];
      expect(lru[r] === (pfn < 0 ? -1 : pfn + count), `run ${r / 2} continues the one before`).to.equal(false);
    }
  });

  it('hashes the same state laid out differently the same, and a different order or mapping differently', () => {
    const moved = relaid(state, LRU_CHUNK + 3);
    expect(stateHash(moved)).to.not.equal(stateHash(state));
    expect(modelHash(cmaSimModel, moved)).to.equal(modelHash(cmaSimModel, state));
    const noIndexes = { ...state, pagecache: { ...state.pagecache, slots: {}, reclaim: { freeable: 0, freeableCma: 0, refChunks: {}, pbFreeable: {} } } };
    expect(modelHash(cmaSimModel, noIndexes)).to.equal(modelHash(cmaSimModel, state));
    const swapped = relaid(state, 0, (es) => [es[1], es[0], ...es.slice(2)]);
    expect(modelHash(cmaSimModel, swapped)).to.not.equal(modelHash(cmaSimModel, state));
    const f = state.pagecache.files.f;
    const [[k0, ch0]] = [...recEntries(f.chunks)];
    const remapped = { ...state, pagecache: { ...state.pagecache, files: { ...state.pagecache.files, f: { ...f, chunks: { 0: { [k0]: ch0.map((x, j) => (j === 1 ? x + 1 : x)) } } } } } };
    expect(modelHash(cmaSimModel, remapped)).to.not.equal(modelHash(cmaSimModel, state));
  });

  it('is what a log records as its initial and final state hashes', () => {
    const engine = runChecked(simState({ memory: '16M' }), events).engine.engine;
    const lines = [...logLines(new History(engine), 1)];
    const header = JSON.parse(lines[0]) as { initialHash: string };
    const footer = JSON.parse(lines[lines.length - 1]) as { finalHash: string };
    expect(header.initialHash).to.equal(worldHash(cmaSimModel, engine.snapshots[0]));
    expect(footer.finalHash).to.equal(worldHash(cmaSimModel, engine.state));
    expect(footer.finalHash).to.not.equal(stateHash(engine.state));
  });
});
