/**
 * Page pins: a pinned page has an extra reference, so migration and reclaim leave it alone
 * (reference §3: the classic cause of -EBUSY). A long-term pin (FOLL_LONGTERM) first moves the
 * page out of CMA (reference §4, check_and_migrate_movable_pages).
 */
import type { PagePinEvent } from '../../events/index.ts';
import { mutPagecache, type PcMut } from '../pagecache/mutPagecache.ts';
import { lookupPage, movePage } from '../pagecache/pageOps.ts';
import { allocWithReclaim, isPinned } from '../pagecache/reclaim.ts';
import { freeableFlags, noteFreeable } from '../pagecache/reclaimIndex.ts';
import { faultPages } from '../pagecache/fault.ts';
import type { SimDraft } from '../state.ts';
import { freeBlock } from '../memory/buddy.ts';
import { folioOf, moveFolio } from '../memory/folio.ts';
import type { AllocRequest } from '../memory/allocator.ts';
import { original } from 'immer';
import { codeAt, mutMemory, pbIndexIn, pbRead, pbWrite, type MemMut, type SealCtx } from '../memory/mutMemory.ts';
import { K_ANON, K_PAGECACHE, kindOf, pcFlags } from '../memory/pageCode.ts';
import { swDelete, swGet, swSet, shardGet, shardWriter, type ShardWriter } from '../memory/shardedMap.ts';
import type { AllocRecord, MemoryState, PinRecord } from '../memory/state.ts';

/** The pin map's overlay for this batch (one per memory overlay, so per draft): pins are written on every pin event. */
const pinOverlays = new WeakMap<MemMut, ShardWriter<PinRecord>>();

function pinsOf(m: MemMut): ShardWriter<PinRecord> {
  let o = pinOverlays.get(m);
  if (o === undefined) {
    const dm = m.dm as unknown as { pins: unknown };
    o = shardWriter<PinRecord>((original(m.dm) as MemoryState).pins, (top) => { dm.pins = top; });
    pinOverlays.set(m, o);
  }
  return o;
}

/** The pfn a pin event names, or a reason it names none. */
function targetOf(m: MemMut, p: PcMut, e: PagePinEvent): number | string {
  const index = e.index ?? 0;
  if (e.file !== undefined) {
    let pfn = lookupPage(p, e.file, index);
    if (pfn < 0) {
      if (faultPages(m, p, e.file, index, 1).failedAt >= 0) return `cannot fault in ${e.file}:${index}`;
      pfn = lookupPage(p, e.file, index);
    }
    return pfn;
  }
  if (e.alloc !== undefined) {
    const serial = shardGet<number>(m.dm.allocIds, e.alloc);
    if (serial === undefined) return `no allocation '${e.alloc}'`;
    const rec = shardGet<AllocRecord>(m.dm.allocs, serial)!;
    if (index < 0 || index >= 2 ** rec.order) return `index ${index} is outside allocation '${e.alloc}' (${2 ** rec.order} pages)`;
    return rec.pfn + index;
  }
  throw new Error(`page.pin '${e.id}': expected field 'file' or 'alloc'`);
}

function inCma(m: MemMut, pfn: number): boolean {
  const pb = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn));
  return pb.mt === 'CMA' || (pb.mt === 'ISOLATE' && pb.saved === 'CMA');
}

/**
 * The page a long-term pin migrates into: movable outside CMA (5.10 check_and_migrate_cma_pages,
 * GFP_USER | __GFP_MOVABLE under memalloc_nocma) or unmovable (5.13+ GFP_USER, mm/gup.c).
 */
function pinTargetRequest(m: MemMut, order: number): AllocRequest {
  return m.cfg.pinTarget === 'unmovable' ? { mt: 'UNMOVABLE', order } : { mt: 'MOVABLE', order, noCma: true };
}

/** Move the page (or its folio) at pfn out of CMA. Returns its new pfn, or a reason. */
function migrateOutOfCma(m: MemMut, p: PcMut, pfn: number): number | string {
  const c = codeAt(m, pfn);
  const k = kindOf(c);
  if (k === K_PAGECACHE) {
    // Under writeback: migrate_pages (MIGRATE_SYNC) waits for it and migrates; the wait takes no
    // modelled time here, the copy keeps the flag until pagecache.writeback.done.
    if (isPinned(m, pfn)) return 'page already pinned cannot leave CMA';
    const to = allocWithReclaim(m, p, pinTargetRequest(m, 0));
    if (to < 0) return 'no free non-CMA page to migrate into';
    if (codeAt(m, pfn) !== c) {
      freeBlock(m, to, 0);
      return 'page was reclaimed while looking for a page to migrate into';
    }
    movePage(m, p, pfn, to);
    return to;
  }
  if (k === K_ANON) {
    const f = folioOf(m, pfn, c);
    for (let i = 0; i < f.n; i++) if (isPinned(m, f.pfn + i)) return 'folio already pinned cannot leave CMA';
    const to = allocWithReclaim(m, p, pinTargetRequest(m, f.order));
    if (to < 0) return 'no free non-CMA block to migrate into';
    moveFolio(m, f, to);
    return to + (pfn - f.pfn);
  }
  return 'page is not movable';
}

function isEmpty(r: Readonly<Record<string, number>>): boolean {
  for (const _ in r) return false;
  return true;
}

function addPin(m: MemMut, p: PcMut, pfn: number, delta: number): void {
  const w = pbWrite(m, pbIndexIn(m.banks, m.pbOrder, pfn));
  const key = String(pfn & (m.pbPages - 1));
  const pins = w.pins ?? {};
  const was = pins[key] ?? 0;
  const n = was + delta;
  if (n > 0) {
    pins[key] = n;
    w.pins = pins;
  } else {
    delete pins[key];
    w.pins = isEmpty(pins) ? null : pins;
  }
  // A clean page-cache page stops (or starts again) being reclaimable on sight.
  const c = codeAt(m, pfn);
  if ((was > 0) !== (n > 0) && kindOf(c) === K_PAGECACHE && freeableFlags(pcFlags(c), false)) noteFreeable(m, p, pfn, n > 0 ? -1 : 1);
}

/**
 * Take the pin; returns null, or the reason it failed. A failed pin is still recorded (pfn -1,
 * holding nothing) so that its `page.unpin` is accepted, as a caller would still call unpin_user_pages.
 * `_ctx` is not used (callers that pass it compile): the overlays seal at commit by themselves.
 */
export function pinPage(d: SimDraft, e: PagePinEvent, _ctx?: SealCtx): string | null {
  const m = mutMemory(d.memory);
  const p = mutPagecache(d.pagecache);
  const pins = pinsOf(m);
  if (swGet(pins, e.id) !== undefined) throw new Error(`page.pin: pin id '${e.id}' is already held`);
  let pfn = targetOf(m, p, e);
  // Before 5.1 a long-term pin stayed where the page was, CMA or not (kernel profile pinTarget 'none').
  if (typeof pfn === 'number' && e.longterm && m.cfg.pinTarget !== 'none' && inCma(m, pfn)) pfn = migrateOutOfCma(m, p, pfn);
  if (typeof pfn === 'string') {
    swSet(pins, e.id, { pfn: -1, longterm: e.longterm === true });
    return pfn;
  }
  addPin(m, p, pfn, 1);
  swSet(pins, e.id, { pfn, longterm: e.longterm === true });
  return null;
}

export function unpinPage(d: SimDraft, id: string, _ctx?: SealCtx): void {
  const m = mutMemory(d.memory);
  const pins = pinsOf(m);
  const rec = swGet(pins, id);
  if (rec === undefined) throw new Error(`page.unpin: no pin with id '${id}'`);
  if (rec.pfn >= 0) addPin(m, mutPagecache(d.pagecache), rec.pfn, -1);
  swDelete(pins, id);
}
