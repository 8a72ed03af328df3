import { errnoName } from '../../models/cma/request.ts';
import { reportedStatus } from '../../models/cma/request/status.ts';
import { pageState } from '../../models/memory/queries.ts';
import { pagecacheOf } from '../../models/mm/contig.ts';
import { checkInvariants, formatViolation } from '../../models/invariants/index.ts';
import type { SimState } from '../../models/state.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import { footprint, type FootprintRes } from '../../models/footprint.ts';
import type { DebugPlugin, Runnable } from '../run/runnable.ts';
import { CommandError } from './session.ts';
import { fmtTime } from './format.ts';
import { cmaDiff, cmaOutcome, hex } from './cmaTerms.ts';


export function parseNum(arg: string, what: string): number {
  const t = arg.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) throw new CommandError(`expected ${what} (decimal or 0x hex), got '${t}'`);
  return t.toLowerCase().startsWith('0x') ? parseInt(t, 16) : Number(t);
}

/** Which area, chunk, in-flight candidate and page-cache slot a pfn belongs to. */
function pageOwners(s: SimState, pfn: number): string[] {
  const out: string[] = [];
  for (const a of Object.values(s.cma.areas)) if (pfn >= a.basePfn && pfn < a.basePfn + a.count) out.push(`area ${a.name} (+${pfn - a.basePfn})`);
  for (const c of Object.values(s.cma.chunks)) if (pfn >= c.pfn && pfn < c.pfn + c.count) out.push(`chunk ${c.id} of ${c.owner} (pins ${c.pins}${c.moving ? `, moving to ${hex(c.moving.to)}` : ''})`);
  for (const r of Object.values(s.cma.requests)) if (r.candidate !== null && pfn >= r.candidate && pfn < r.candidate + r.count) out.push(`candidate of request ${r.id} (${reportedStatus(r.status)})`);
  return out;
}

function fileIndexOf(s: SimState, fileId: number, pfn: number): string {
  const name = s.pagecache.fileNames[fileId];
  if (name === undefined || !s.pagecache.files[name]) return `file #${fileId}`;
  const p = pagecacheOf(s, pfn);
  return p !== null && p.file === name ? `${name}[${p.index}]` : name;
}

export function printPage(s: SimState, arg: string): string {
  const pfn = parseNum(arg, 'a pfn');
  let p;
  try { p = pageState(s, pfn); } catch (e) { throw new CommandError(`page ${hex(pfn)}: ${(e as Error).message}`); }
  const what = p.kind === 'free' ? `free (order-${p.freeOrder} block at ${hex(p.freeHead!)})`
    : p.kind === 'pagecache' ? `page cache ${fileIndexOf(s, p.fileId!, pfn)}${p.dirty ? ' dirty' : ''}${p.writeback ? ' writeback' : ''}`
      : `${p.kind}${p.owner ? ` (${p.owner})` : ''}`;
  return [`page ${hex(pfn)}: ${what}, pageblock ${p.migratetype}${p.pins ? `, pinned x${p.pins}` : ''}`, ...pageOwners(s, pfn).map((o) => `  in ${o}`)].join('\n');
}

export function printRequest(s: SimState, arg: string): string {
  const id = parseNum(arg, 'a request id');
  const r = s.cma.requests[id];
  if (!r) throw new CommandError(`no request ${id} (have: ${Object.keys(s.cma.requests).join(', ') || 'none'})`);
  const lines = [
    `request ${r.id} from ${r.requester} (pid ${r.pid}): ${r.count} pages, align ${r.align}, areas ${r.areas.join(',')}, lock mode ${r.lockMode}`,
    `  status ${reportedStatus(r.status)}${r.errno !== null ? `, errno ${errnoName(r.errno)}` : ''}${r.pfn !== null ? `, pfn ${hex(r.pfn)}` : ''}${r.candidate !== null ? `, candidate ${hex(r.candidate)}` : ''}, retries ${r.retries}`,
    `  submitted ${fmtTime(r.submittedAt)}${r.finishedAt !== null ? `, finished ${fmtTime(r.finishedAt)} (latency ${fmtTime(r.finishedAt - r.submittedAt)})` : ''}; holds ${r.held.join(', ') || 'no lock'}`,
    `  phases: ${Object.entries(r.phases).map(([k, v]) => `${k} ${fmtTime(v)}`).join(', ')}`,
    ...r.attempts.map((a, i) => `  attempt ${i + 1}: ${a.area} ${hex(a.pfn)}+${a.count}: migrated ${a.migrated}, dropped ${a.dropped}, busy ${a.busy}, passes ${a.passes} -> ${a.result === 0 && a.passes >= 0 ? (a === r.attempts[r.attempts.length - 1] && r.status !== 'done' ? 'in progress' : 'ok') : errnoName(a.result)}`),
  ];
  return lines.join('\n');
}

/** One character per group of pages: the most telling state in the group. */
function glyph(kinds: Set<string>, pinned: boolean): string {
  if (pinned) return '!';
  for (const [k, g] of [['taken', '#'], ['unmovable', 'u'], ['reclaimable', 'r'], ['anon', 'a'], ['pagecache', 'p'], ['reserved', 'R']] as const) if (kinds.has(k)) return g;
  return '.';
}

/** The area's pageblocks, one line each: migratetype, then one glyph per group of pages. */
export function drawMap(s: SimState, arg: string | undefined): string {
  const names = arg ? [arg] : s.cma.areaOrder;
  const out: string[] = ["legend: . free  p page cache  a anon  u unmovable  r reclaimable  # taken by CMA  R reserved  ! pinned; each row: pageblock start pfn, migratetype, pages"];
  const pbPages = 2 ** s.memory.config.pageblockOrder;
  const per = Math.max(1, Math.ceil(pbPages / 64));
  for (const n of names) {
    const a = s.cma.areas[n];
    if (!a) throw new CommandError(`no area '${n}' (have: ${s.cma.areaOrder.join(', ')})`);
    out.push(`area ${n}: ${hex(a.basePfn)}..${hex(a.basePfn + a.count)}, ${a.available} of ${a.count} pages available, ${per} page(s) per glyph`);
    for (let pb = a.basePfn - (a.basePfn % pbPages); pb < a.basePfn + a.count; pb += pbPages) {
      let line = '';
      for (let g = pb; g < pb + pbPages; g += per) {
        const kinds = new Set<string>();
        let pinned = false;
        for (let pfn = g; pfn < g + per; pfn++) {
          const p = pageState(s, pfn);
          kinds.add(p.kind);
          if (p.pins > 0) pinned = true;
        }
        line += glyph(kinds, pinned);
      }
      out.push(`  ${hex(pb).padStart(9)} ${pageState(s, pb).migratetype.padEnd(7)} ${line}`);
    }
  }
  return out.join('\n');
}

/** A footprint resource (models/footprint.ts) in kernel words; null for bookkeeping not worth naming. */
export function describeResource(r: FootprintRes): string | null {
  const [kind, name] = [r.key.slice(0, r.key.indexOf(':')), r.key.slice(r.key.indexOf(':') + 1)];
  switch (r.key.includes(':') ? kind : r.key) {
    case 'area': return `area ${name}`;
    case 'lock': return `lock ${name}`;
    case 'req': return `request ${name}`;
    case 'chunk': return `chunk ${name}`;
    case 'pfn': return r.lo === undefined ? 'every pfn' : `pfns ${hex(r.lo)}-${hex((r.hi ?? r.lo + 1) - 1)}`;
    case 'buddy': return 'the free lists';
    case 'pagecache': return 'the page cache';
    case 'pins': return 'page pins';
    case 'allocs': return 'page allocations';
    case '*': return 'everything';
    default: return null; // request ids, caller thread ids
  }
}

/** print page / print request / map and the model's invariants, for SimState runs. */
export const cmaPlugin: DebugPlugin<SimState> = {
  printForms: { page: printPage, request: printRequest },
  map: drawMap,
  diff: cmaDiff,
  describe: cmaOutcome,
  dataflow: { footprint, describe: describeResource },
  invariants: (s, o) => {
    const v = checkInvariants(s, { prev: o?.prev, full: o?.full });
    return v ? [formatViolation(v)] : [];
  },
};

/** CMA runs get `print page`, `print request` and `map` unless their module brings its own. */
export function pluginFor(r: Runnable<any, any>, cma: Partial<DebugPlugin<any>> = {}): DebugPlugin<any> | undefined {
  return r.model.name === cmaSimModel.name ? { ...cmaPlugin, ...cma, ...r.plugin } : r.plugin;
}
