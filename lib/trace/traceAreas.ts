/**
 * CMA areas (name, size, base in bytes) behind a trace: from `--area name=size@base` options,
 * from `# area name=size@base` comment lines (written by this project's exporter), or from the
 * boot log (dmesg) of the traced kernel.
 */
import type { SimState } from '../../models/state.ts';
import { formatSize, sizeBytes as parseSize } from '../../models/memory/parseSize.ts';

export interface TraceArea {
  readonly name: string;
  /** Bytes. */
  readonly size: number;
  /** Physical address in bytes. */
  readonly base: number;
}

/** Parses `name=size@base` (e.g. `reserved=256M@0xf0000000`); errors name the option and token. */
export function parseAreaOption(text: string): TraceArea {
  // Device-tree area names carry a unit address (`framebuffer@68000000`): the name ends at the first '='.
  const m = /^([^=\s]+)=([^@\s=]+)@(\S+)$/.exec(text.trim());
  const bad = (what: string): Error =>
    new Error(`--area '${text}': ${what} (expected name=size@base, e.g. reserved=256M@0xf0000000)`);
  if (!m) throw bad('not of the form name=size@base');
  const size = parseSize(m[2]);
  if (size === null || size === 0) throw bad(`size '${m[2]}' is not a positive byte count`);
  const base = parseSize(m[3]);
  if (base === null) throw bad(`base '${m[3]}' is not an address`);
  return { name: m[1], size, base };
}

export function formatAreaOption(a: TraceArea): string {
  return `${a.name}=${formatSize(a.size)}@0x${a.base.toString(16)}`;
}

/** The comment line the exporter writes for an area; the importer reads it back. */
export const AREA_COMMENT = '# area ';

/**
 * Areas announced in a boot log. mm/cma.c prints `cma: Reserved <n> MiB at <base>` for every
 * area; the name is not printed, so it is inferred from the line before: hugetlb_cma's
 * `hugetlb_cma: reserve <total> MiB` makes the following areas, up to that total, `hugetlb<node>`
 * (the node confirmed by its `reserved <n> MiB on node <nid>` line); kernel/dma/contiguous.c's
 * default area is `reserved`.
 * Device-tree pools (`Reserved memory: created CMA memory pool at <base>, size <n> MiB`) take the
 * node name from the `OF: reserved mem: initialized node <name>` line that follows.
 */
export function areasFromDmesg(text: string): TraceArea[] {
  const areas: { name: string; size: number; base: number }[] = [];
  let hugetlbPending = 0;
  let hugetlbNext = 0;
  let hugetlbIdx: number[] = [];
  let dtPending: number | null = null;
  for (const line of text.split('\n')) {
    const reserve = /hugetlb_cma: reserve (\d+) MiB/.exec(line);
    if (reserve) {
      // The following areas are hugetlb's until they add up to what it asked for in total.
      hugetlbPending = Number(reserve[1]) * 2 ** 20;
      hugetlbIdx = [];
      continue;
    }
    const onNode = /hugetlb_cma: reserved \d+ MiB on node (\d+)/.exec(line);
    if (onNode) {
      const idx = hugetlbIdx.shift();
      if (idx !== undefined) areas[idx].name = `hugetlb${onNode[1]}`;
      continue;
    }
    const cma = /\bcma: Reserved (\d+) MiB at (0x[0-9a-f]+)/i.exec(line);
    if (cma) {
      const area = { name: 'reserved', size: Number(cma[1]) * 2 ** 20, base: Number(cma[2]) };
      if (hugetlbPending > 0) {
        area.name = `hugetlb${hugetlbNext++}`;
        hugetlbIdx.push(areas.length);
        hugetlbPending -= area.size;
      }
      areas.push(area);
      continue;
    }
    const dt = /created CMA memory pool at (0x[0-9a-f]+), size (\d+) MiB/i.exec(line);
    if (dt) {
      dtPending = areas.length;
      areas.push({ name: 'reserved', size: Number(dt[2]) * 2 ** 20, base: Number(dt[1]) });
      continue;
    }
    const node = /OF: reserved mem: initialized node (\S+?),? compatible id shared-dma-pool/.exec(line);
    if (node && dtPending !== null) {
      areas[dtPending].name = node[1];
      dtPending = null;
    }
  }
  return areas;
}

/** Total RAM from the boot log's `Memory: <avail>K/<total>K available` line, bytes; null if absent. */
export function ramFromDmesg(text: string): number | null {
  const m = /Memory: \d+K\/(\d+)K available/.exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

/** Options override what the trace and dmesg say, area by area. */
export function mergeAreas(...sources: readonly (readonly TraceArea[])[]): TraceArea[] {
  const byName = new Map<string, TraceArea>();
  for (const list of sources) for (const a of list) byName.set(a.name, a);
  return [...byName.values()];
}

/** The areas of a simulated machine (after boot placed them), for export comments and comparison. */
export function traceAreasOf(state: SimState): TraceArea[] {
  const pageSize = state.memory.config.pageSize;
  return Object.values(state.cma.areas).map((a) => ({ name: a.name, size: a.count * pageSize, base: a.basePfn * pageSize }));
}
