/**
 * Commands that answer kernel questions about a CMA run at the cursor: `page <pfn>`,
 * `pageblock <n>`, `area [name]`, `request <id>`. pfns print in hex as the kernel prints them.
 */
import type { SimEventBase } from '../engine/types.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import { requestOwner, sameOwner } from '../../models/cma/locks.ts';
import { errnoName } from '../../models/cma/request.ts';
import type { CmaRequest } from '../../models/cma/state.ts';
import { debugfsOf } from '../../models/cma/stats.ts';
import { pageblockOf, pageblockRange, pageState } from '../../models/memory/queries.ts';
import type { SimState } from '../../models/state.ts';
import { parseNum, printPage, printRequest } from './cmaPlugin.ts';
import { fmtRuns, hex, pagePhrase, requestOutcome, runPages, runsOf, usedRuns } from './cmaTerms.ts';
import { fmtEnvelope, fmtTime } from './format.ts';
import { lastChange, watchedPath, type ScanOptions, type Watched } from './scan.ts';
import { formatStatePath, parseStatePath } from './statePath.ts';
import { CommandError, type DebugSession } from './session.ts';

type Cma = DebugSession<SimState, SimEventBase>;

function stateOf(s: DebugSession<unknown, SimEventBase>): SimState {
  if (s.h.engine.model.name !== cmaSimModel.name) throw new CommandError(`this command reads CMA state; this run's model is '${s.h.engine.model.name}'`);
  return s.h.stateAt(s.cursor).model as SimState;
}

/** How many past changes `page` lists. */
const PAGE_HISTORY = 8;

/** A page as history and watches follow it: state, owner, pins and pageblock migratetype (not its buddy order, which merges elsewhere change). */
export function watchedPage(st: SimState, pfn: number): Watched<SimState> {
  const pb = pageblockOf(st, pfn);
  return {
    read: (m) => {
      const p = pageState(m, pfn);
      const what = p.kind === 'free' ? 'free' : p.kind === 'pagecache' ? `page cache #${p.fileId}${p.dirty ? ', dirty' : ''}${p.writeback ? ', under writeback' : ''}` : `${p.kind}${p.owner ? ` (${p.owner})` : ''}`;
      return `${what}${p.pins ? `, pinned x${p.pins}` : ''}, pageblock ${p.migratetype}`;
    },
    probe: (m) => m.memory.pageblocks[pb],
  };
}

/** Bits of a bitmap range as `lo-hi` (inclusive), decimal or 0x hex; the whole bitmap without one. */
function bitRange(arg: string | undefined, bits: number, name: string): [number, number] {
  if (arg === undefined) return [0, bits - 1];
  const m = /^(0x[0-9a-f]+|\d+)(?:-(0x[0-9a-f]+|\d+))?$/i.exec(arg);
  if (!m) throw new CommandError(`expected a bit range such as 0-511 (bits of the area's bitmap), got '${arg}'`);
  const lo = parseNum(m[1], 'a bit'), hi = m[2] === undefined ? lo : parseNum(m[2], 'a bit');
  if (lo > hi || hi >= bits) throw new CommandError(`bits ${lo}-${hi}: area ${name}'s bitmap has bits 0-${bits - 1}`);
  return [lo, hi];
}

/**
 * An area's allocation bitmap, or bits lo..hi of it, as the kernel's debugfs shows it: the set bit
 * runs and the pfns they stand for. Read through the area's allocator (any allocator has free
 * runs), probed by the area record, which immer copies whenever its allocator state changes.
 */
export function watchedBitmap(st: SimState, name: string, range: string | undefined): { label: string; w: Watched<SimState> } {
  const a = Object.hasOwn(st.cma.areas, name) ? st.cma.areas[name] : undefined;
  if (!a) throw new CommandError(`no area '${name}' (have: ${st.cma.areaOrder.join(', ')})`);
  const shift = a.orderPerBit, base = a.basePfn;
  const [lo, hi] = bitRange(range, a.count >> shift, name);
  return {
    label: `bitmap ${name} bits ${lo}-${hi}`,
    w: {
      read: (m) => {
        const runs = usedRuns(m.cma.areas[name]);
        const out: string[] = [];
        for (let i = 0; i < runs.length; i += 2) {
          const s = Math.max(lo, (runs[i] - base) >> shift), e = Math.min(hi, ((runs[i + 1] - base) >> shift) - 1);
          if (s <= e) out.push(`bits ${s}-${e} (${hex(base + (s << shift))}-${hex(base + ((e + 1) << shift) - 1)})`);
        }
        return out.length ? `set: ${out.join(', ')}` : 'clear';
      },
      probe: (m) => m.cma.areas[name],
    },
  };
}

/** What `watch`, `back-to-write` and `why` follow: `page <pfn>` and `bitmap <area> [bits]` (CMA runs), or a state path. */
export function watchTarget(s: DebugSession<any, any>, text: string): { label: string; w: Watched<any> } {
  const b = /^bitmap\s+(\S+)(?:\s+(\S+))?$/.exec(text.trim());
  if (b) return watchedBitmap(stateOf(s), b[1], b[2]);
  const m = /^page\s+(\S+)$/.exec(text.trim());
  if (m) {
    const pfn = parseNum(m[1], 'a pfn');
    const st = stateOf(s);
    try { pageState(st, pfn); } catch (e) { throw new CommandError(`page ${hex(pfn)}: ${(e as Error).message}`); }
    return { label: `page ${hex(pfn)}`, w: watchedPage(st, pfn) };
  }
  const path = parseStatePath(text);
  return { label: formatStatePath(path), w: watchedPath(path) };
}

/** `page <pfn>`: the page now, then the events that changed it, newest first. */
export function pageCommand(s0: DebugSession<unknown, SimEventBase>, arg: string, o: ScanOptions): string {
  const st = stateOf(s0);
  const s = s0 as unknown as Cma;
  const now = printPage(st, arg);
  const pfn = parseNum(arg, 'a pfn');
  const w = watchedPage(st, pfn);
  const lines = [now, `  changes up to #${s.cursor}, newest first:`];
  let upTo = s.cursor;
  for (let i = 0; i < PAGE_HISTORY && upTo >= 1; i++) {
    const c = lastChange(s.h, upTo, w, o);
    if (c === null) break;
    const before = pageState(s.h.stateAt(c - 1).model, pfn), after = pageState(s.h.stateAt(c).model, pfn);
    const what = [
      pagePhrase(before) !== pagePhrase(after) ? `${pagePhrase(before)} -> ${pagePhrase(after)}` : '',
      before.pins !== after.pins ? `pins ${before.pins} -> ${after.pins}` : '',
      before.migratetype !== after.migratetype ? `pageblock ${before.migratetype} -> ${after.migratetype}` : '',
    ].filter(Boolean).join('; ');
    lines.push(`    ${fmtEnvelope(s.h.envelope(c))}\n      ${what}`);
    upTo = c - 1;
  }
  if (lines.length === 2) lines.push('    none since the start of the run');
  else if (upTo >= 1 && lines.length === 2 + PAGE_HISTORY) lines.push(`    ... earlier changes: goto ${upTo} and ask again`);
  return lines.join('\n');
}

/** `pageblock <n | 0xpfn>`: a pageblock by index, or the one holding a pfn (hex). */
export function pageblockCommand(s: DebugSession<unknown, SimEventBase>, arg: string): string {
  const st = stateOf(s);
  const t = arg.trim();
  const n = /^0x/i.test(t) ? pageblockOf(st, parseNum(t, 'a pfn')) : parseNum(t, 'a pageblock index or 0x pfn');
  const pb = st.memory.pageblocks[n];
  if (!pb) throw new CommandError(`no pageblock ${n} (have 0..${st.memory.pageblocks.length - 1})`);
  const { startPfn, endPfn } = pageblockRange(st, n);
  const kinds = new Map<string, number[]>();
  let pinned = 0;
  for (let pfn = startPfn; pfn < endPfn; pfn++) {
    const p = pageState(st, pfn);
    const k = p.kind === 'pagecache' && p.dirty ? 'pagecache (dirty)' : p.kind;
    (kinds.get(k) ?? kinds.set(k, []).get(k)!).push(pfn);
    if (p.pins) pinned++;
  }
  return [
    `pageblock ${n}: ${hex(startPfn)}-${hex(endPfn - 1)}, migratetype ${pb.mt}${pb.saved ? ` (isolated from ${pb.saved})` : ''}${pb.reserve ? `, reserved for ${pb.reserve === 'cma' ? 'CMA' : 'a private area'}` : ''}, ${pb.nrFree} free page(s)${pinned ? `, ${pinned} pinned` : ''}`,
    ...[...kinds].sort((a, b) => b[1].length - a[1].length).map(([k, pfns]) => `  ${k}: ${pfns.length} (${fmtRuns(runsOf(pfns), 4)})`),
  ].join('\n');
}

/** `area [name]`: the area's ranges in use and who holds them; every area without a name. */
export function areaCommand(s: DebugSession<unknown, SimEventBase>, arg: string): string {
  const st = stateOf(s);
  const names = arg.trim() ? [arg.trim()] : st.cma.areaOrder;
  return names.map((name) => {
    const a = Object.hasOwn(st.cma.areas, name) ? st.cma.areas[name] : undefined;
    if (!a) throw new CommandError(`no area '${name}' (have: ${st.cma.areaOrder.join(', ')})`);
    const used = usedRuns(a);
    const end = a.basePfn + a.count;
    const chunks = Object.values(st.cma.chunks).filter((c) => c.area === name).sort((x, y) => x.pfn - y.pfn);
    const inflight = Object.values(st.cma.requests).filter((r) => r.status !== 'done' && r.status !== 'failed' && (r.area === name || r.areas.includes(name)));
    return [
      `area ${name}: ${hex(a.basePfn)}-${hex(end - 1)} (${a.count} pages, ${a.shared ? 'shared with movable allocations' : 'private'}), allocator ${a.allocator}, ${2 ** a.orderPerBit} page(s) per bit`,
      `  used ${runPages(used)}, available ${a.available}, maxchunk ${debugfsOf(st.cma, name).maxchunk} pages; bitmap runs: ${used.length ? fmtRuns(used) : 'none'}`,
      ...chunks.map((c) => `  chunk ${c.id}: ${hex(c.pfn)}-${hex(c.pfn + c.count - 1)} held by ${c.owner} (pid ${c.pid})${c.pins ? `, pinned x${c.pins}` : ''}${c.moving ? `, moving to ${hex(c.moving.to)}` : ''}${c.releasing ? ', being released' : ''}`),
      ...inflight.map((r) => `  request ${r.id} (${r.requester}, ${r.count} pages): ${requestOutcome(r)}`),
      `  counters: alloc success ${a.counters.allocPagesSuccess} pages, fail ${a.counters.allocPagesFail}, released ${a.counters.releasePagesSuccess}`,
    ].join('\n');
  }).join('\n');
}

/** `request <id>`: `print request` plus its phases over time with the locks held, and its outcome in words. */
export function requestCommand(s: DebugSession<unknown, SimEventBase>, arg: string): string {
  const st = stateOf(s);
  const head = printRequest(st, arg);
  const r = st.cma.requests[parseNum(arg, 'a request id')] as CmaRequest;
  const spans = r.spans ?? [];
  const waits = Object.entries(st.cma.locks).filter(([, l]) => l.waiters.some((w) => sameOwner(w.owner, requestOwner(r.id)))).map(([n]) => n);
  return [
    head,
    `  outcome: ${requestOutcome(r)}${r.errno !== null && r.errno !== 0 ? ` (${errnoName(r.errno)})` : ''}${waits.length ? `; waiting for ${waits.join(', ')}` : ''}`,
    ...(spans.length ? ['  timeline:'] : []),
    ...spans.map((p) => `    ${fmtTime(p.start).padStart(12)} +${fmtTime(p.end - p.start).padEnd(10)} ${p.phase}${p.locks.length ? ` holding ${p.locks.join(', ')}` : ''}`),
  ].join('\n');
}
