/**
 * The areas the kernel declares from the mainline parameters, with its rounding and checks:
 * dma_contiguous_reserve() + cma_declare_contiguous_nid() for `cma=`, dma_numa_cma_reserve()
 * for `cma_pernuma=`/`numa_cma=`, hugetlb_cma_reserve() for `hugetlb_cma=`. Where the kernel
 * only warns and drops an area (bad node, too small for a gigantic page) we throw, so a
 * scenario never silently runs without the area it asked for.
 */
import { ConfigError } from './ConfigError.ts';
import { alignDown, alignUp, cmaMinAlignment, geometryOf } from './geometry.ts';
import { formatBytes, hex } from './memparse.ts';
import { columnAt, type Scanner } from './scanner.ts';
import type { CmaParam, HugetlbCmaParam, MainlineArea, MainlineOptions, NodeSize, PageGeometry } from './types.ts';

export interface ParamSites {
  cma?: Scanner;
  cma_pernuma?: Scanner;
  numa_cma?: Scanner;
  hugetlb_cma?: Scanner;
}

export interface MainlineParams {
  readonly cma?: CmaParam;
  readonly pernuma?: number;
  readonly numaCma?: readonly NodeSize[];
  readonly hugetlbCma?: HugetlbCmaParam;
}

function refuse(site: Scanner | undefined, source: keyof ParamSites, problem: string): never {
  throw new ConfigError({
    source,
    column: site ? columnAt(site, 0) : undefined,
    token: site?.text ?? '',
    expected: problem,
    problem,
  });
}

export function deriveMainlineAreas(p: MainlineParams, opts: MainlineOptions, sites: ParamSites = {}): MainlineArea[] {
  const g = geometryOf(opts);
  const online = opts.onlineNodes ?? [0];
  const areas: MainlineArea[] = [];
  for (const e of p.numaCma ?? []) {
    if (!online.includes(e.node)) refuse(sites.numa_cma, 'numa_cma', `invalid node ${e.node} specified (online: ${online.join(',')})`);
  }
  // dma_numa_cma_reserve(): per online node, the cma_pernuma area first, then the numa_cma one.
  for (const nid of online) {
    if (p.pernuma) areas.push(nodeArea(`pernuma${nid}`, 'cma_pernuma', p.pernuma, nid, g, sites.cma_pernuma));
    const own = p.numaCma?.find((e) => e.node === nid);
    if (own && own.size) areas.push(nodeArea(`numa${nid}`, 'numa_cma', own.size, nid, g, sites.numa_cma));
  }
  // dma_contiguous_reserve(): without cma= the Kconfig size is used, placed anywhere.
  const param = p.cma ?? (opts.kconfigSize ? { size: opts.kconfigSize, base: 0, limit: 0 } : undefined);
  const def = param && defaultArea(param, opts, g, sites.cma);
  if (def) areas.push(def);
  if (p.hugetlbCma) areas.push(...hugetlbAreas(p.hugetlbCma, opts, online, g, sites.hugetlb_cma));
  return areas;
}

function checkedAlign(n: number, a: number, site: Scanner | undefined, source: keyof ParamSites): number {
  const v = alignUp(n, a);
  if (!Number.isSafeInteger(v)) refuse(site, source, `${formatBytes(n)} rounded up to ${hex(a)} exceeds 2^53 - 1`);
  return v;
}

function nodeArea(name: string, source: 'cma_pernuma' | 'numa_cma', size: number, node: number, g: PageGeometry, site?: Scanner): MainlineArea {
  const alignment = cmaMinAlignment(g);
  return { name, source, size: checkedAlign(size, alignment, site, source), fixed: false, alignment, node, orderPerBit: 0 };
}

/** dma_contiguous_reserve() then cma_declare_contiguous_nid() for the area named "reserved". */
function defaultArea(c: CmaParam, opts: MainlineOptions, g: PageGeometry, site?: Scanner): MainlineArea | undefined {
  if (c.size === 0) return undefined; // cma=0: no default area at all
  // The placement is fixed when the command line gave exactly size@base (limit = base + size).
  let fixed = c.base + c.size === c.limit;
  const dmaLimit = opts.dmaLimit ?? 0;
  const selectedLimit = c.limit && dmaLimit ? Math.min(c.limit, dmaLimit) : c.limit || dmaLimit;
  const alignment = cmaMinAlignment(g);
  if (fixed && c.base % alignment !== 0) {
    refuse(site, 'cma', `region at ${hex(c.base)} must be aligned to ${hex(alignment)} bytes`);
  }
  const base = checkedAlign(c.base, alignment, site, 'cma');
  const size = checkedAlign(c.size, alignment, site, 'cma');
  let limit = alignDown(selectedLimit, alignment);
  if (base === 0) fixed = false;
  if (opts.memoryEnd !== undefined && (limit === 0 || limit > opts.memoryEnd)) limit = opts.memoryEnd;
  if (limit !== 0 && base + size > limit) {
    refuse(site, 'cma', `size ${hex(size)} (rounded up to ${hex(alignment)}) of region at ${hex(base)} exceeds limit ${hex(limit)}`);
  }
  return {
    name: 'reserved',
    source: 'cma',
    size,
    ...(base !== 0 && { base }),
    ...(limit !== 0 && { limit }),
    fixed,
    alignment,
    orderPerBit: 0,
  };
}

/** hugetlb_cma_reserve(order): sizes round up to one gigantic page; one area per node. */
function hugetlbAreas(h: HugetlbCmaParam, opts: MainlineOptions, online: readonly number[], g: PageGeometry, site?: Scanner): MainlineArea[] {
  const order = opts.hugetlbOrder ?? 18;
  const huge = g.pageSize * 2 ** order;
  const make = (nid: number, size: number): MainlineArea => ({
    name: `hugetlb${nid}`,
    source: 'hugetlb_cma',
    size: checkedAlign(size, huge, site, 'hugetlb_cma'),
    fixed: false,
    alignment: huge,
    node: nid,
    // mm/hugetlb.c hugetlb_cma_reserve: aligned to the gigantic page (PAGE_SIZE << order), with
    // order_per_bit = HUGETLB_PAGE_ORDER, the PMD order, which is pageblock_order with 4 KiB
    // pages on x86-64 and arm64 (2024's "pass correct order_per_bit" fix; 0 before it).
    orderPerBit: g.pageblockOrder,
  });
  const minMiB = `${huge / 2 ** 20} MiB`;
  if (h.form === 'per-node') {
    for (const e of h.nodes) {
      if (e.size === 0) continue; // the kernel skips nodes given size 0
      if (!online.includes(e.node)) refuse(site, 'hugetlb_cma', `invalid node ${e.node} specified (online: ${online.join(',')})`);
      if (e.size < huge) refuse(site, 'hugetlb_cma', `cma area of node ${e.node} should be at least ${minMiB}, got ${formatBytes(e.size)}`);
    }
    return online.flatMap((nid) => {
      const e = h.nodes.find((x) => x.node === nid);
      return e && e.size ? [make(nid, e.size)] : [];
    });
  }
  if (h.size === 0) return [];
  if (h.size < huge) refuse(site, 'hugetlb_cma', `cma area should be at least ${minMiB}, got ${formatBytes(h.size)}`);
  // Spread the total over the online nodes, ceil(total / nodes) each, until it is covered.
  const perNode = Math.ceil(h.size / online.length);
  const out: MainlineArea[] = [];
  let reserved = 0;
  for (const nid of online) {
    const area = make(nid, Math.min(perNode, h.size - reserved));
    out.push(area);
    reserved += area.size;
    if (reserved >= h.size) break;
  }
  return out;
}
