/** Invariants of the page cache against the memory model's page codes (O(pages + LRU)). */
import { pbStartPfn } from '../memory/mutMemory.ts';
import { K_PAGECACHE, kindOf, pcFileId, pcFlags, PC_DIRTY, PC_WRITEBACK } from '../memory/pageCode.ts';
import { recEntries, recGet } from '../memory/recOverlay.ts';
import { CHUNK } from '../pagecache/state.ts';
import type { SimState } from '../state.ts';
import type { Violation } from './violation.ts';

const hex = (n: number) => `0x${n.toString(16)}`;

export function checkPageCacheInvariants(s: SimState): Violation | null {
  const mem = s.memory;
  const pc = s.pagecache;
  const pbPages = 2 ** mem.config.pageblockOrder;
  let n = 0, dirty = 0, wb = 0;
  const perFile = new Array(pc.fileNames.length).fill(0);
  for (let i = 0; i < mem.pageblocks.length; i++) {
    const pb = mem.pageblocks[i];
    const first = pbStartPfn(mem.banks, mem.config.pageblockOrder, i);
    const slots = recGet(pc.slots, i);
    for (let k = 0; k < pbPages; k++) {
      const c = pb.pages[k];
      if (kindOf(c) !== K_PAGECACHE) continue;
      const pfn = first + k;
      n++;
      const fl = pcFlags(c);
      if (fl & PC_DIRTY) dirty++;
      if (fl & PC_WRITEBACK) wb++;
      const id = pcFileId(c);
      const name = pc.fileNames[id];
      if (name === undefined || pc.files[name]?.id !== id) return { invariant: 'pagecache-file', message: `page ${hex(pfn)} names file id ${id}, which does not exist`, pfn, pageblock: i };
      perFile[id]++;
      if (slots === undefined) return { invariant: 'pagecache-slot', message: `page ${hex(pfn)} has no page-cache slot`, pfn, pageblock: i };
      const index = slots[2 * k];
      const lruPos = slots[2 * k + 1];
      const ch = recGet(pc.files[name].chunks, Math.floor(index / CHUNK));
      if (ch === undefined || ch[index % CHUNK] !== pfn) return { invariant: 'pagecache-index', message: `page ${hex(pfn)} caches ${name}:${index}, but the file maps that index to ${ch?.[index % CHUNK]}`, pfn, pageblock: i };
      const lch = recGet(pc.lru.chunks, Math.floor(lruPos / CHUNK));
      if (lruPos < pc.lru.head || lruPos >= pc.lru.tail || lch === undefined || lch[lruPos % CHUNK] !== pfn) {
        return { invariant: 'pagecache-lru', message: `page ${hex(pfn)} is not at its LRU position ${lruPos} [${pc.lru.head}, ${pc.lru.tail})`, pfn, pageblock: i };
      }
    }
  }
  if (n !== pc.counts.nrPages) return { invariant: 'pagecache-count', message: `page cache counts ${pc.counts.nrPages} pages, memory holds ${n}` };
  if (dirty !== pc.counts.nrDirty) return { invariant: 'pagecache-count', message: `page cache counts ${pc.counts.nrDirty} dirty pages, pages say ${dirty}` };
  if (wb !== pc.counts.nrWriteback) return { invariant: 'pagecache-count', message: `page cache counts ${pc.counts.nrWriteback} pages under writeback, pages say ${wb}` };
  for (let id = 0; id < perFile.length; id++) {
    const f = pc.files[pc.fileNames[id]];
    if (f.nrPages !== perFile[id]) return { invariant: 'pagecache-count', message: `file ${pc.fileNames[id]} counts ${f.nrPages} pages, memory holds ${perFile[id]}` };
    let mapped = 0;
    for (const [, ch] of recEntries(f.chunks)) for (const x of ch) if (x >= 0) mapped++;
    if (mapped !== f.nrPages) return { invariant: 'pagecache-index', message: `file ${pc.fileNames[id]} maps ${mapped} indices, counts ${f.nrPages} pages` };
  }
  let live = 0;
  for (const [k, ch] of recEntries(pc.lru.chunks)) {
    for (let j = 0; j < CHUNK; j++) {
      const pos = Number(k) * CHUNK + j;
      if (ch[j] >= 0 && pos >= pc.lru.head && pos < pc.lru.tail) live++;
    }
  }
  if (live !== n) return { invariant: 'pagecache-lru', message: `LRU holds ${live} live entries for ${n} pages` };
  return null;
}
