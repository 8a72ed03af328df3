/**
 * The files a kernel engineer reads to see CMA, rendered from a simulated state in the kernel's
 * exact text layout, so what the simulator shows can be compared with (or diffed against) a real
 * machine. Layouts, verified against the kernel sources:
 * - /sys/kernel/mm/cma/<area>/{alloc_pages_success,alloc_pages_fail,release_pages_success,
 *   total_pages,available_pages}: one decimal and a newline each (mm/cma_sysfs.c, sysfs_emit
 *   "%llu\n"/"%lu\n"; 6.1 has only the first two files, release_pages_success, total_pages and
 *   available_pages came later);
 * - /sys/kernel/debug/cma/<area>/{base_pfn,count,order_per_bit,used,maxchunk}: "%llu\n"
 *   (mm/cma_debug.c DEFINE_DEBUGFS_ATTRIBUTE), bitmap: the u32 words as "%u" separated by spaces,
 *   the last followed by a newline (fs/debugfs/file.c u32_format_array);
 * - /proc/meminfo: `<Name>:` padded to 16 columns, the kB value right-aligned in 8, " kB"
 *   (fs/proc/meminfo.c show_val_kb); only the lines the model knows, in the kernel's order;
 * - /proc/buddyinfo and /proc/pagetypeinfo (mm/vmstat.c frag_show_print, pagetypeinfo_show),
 *   one node (0), orders 0..maxOrder, migratetype names of a kernel with CONFIG_CMA and
 *   CONFIG_MEMORY_ISOLATION (HighAtomic, which the model does not keep, shows 0), free counts
 *   capped at >100000 as the kernel caps its free-list walk; the PAGE_OWNER-only "mixed blocks"
 *   table is left out.
 * Area names are printed through `printable`: a crafted name cannot split a line.
 */
import { debugfsOf, formatBitmap, meminfoCma, sysfsOf } from '../../models/cma/stats.ts';
import { zoneCounters } from '../../models/memory/queries.ts';
import { MIGRATETYPES, MT_INDEX } from '../../models/memory/state.ts';
import type { SimState } from '../../models/state.ts';
import { printable } from '../text/escape.ts';

export const KERNEL_FORMATS = ['sysfs', 'meminfo', 'buddyinfo', 'pagetypeinfo'] as const;
export type KernelFormat = (typeof KERNEL_FORMATS)[number];

/** A path `kernelFile` does not know, or an area that does not exist. */
export class KernelPathError extends Error {}

const SYSFS = '/sys/kernel/mm/cma';
const DEBUGFS = '/sys/kernel/debug/cma';
const SYSFS_FILES = ['alloc_pages_success', 'alloc_pages_fail', 'release_pages_success', 'total_pages', 'available_pages'] as const;
const DEBUGFS_FILES = ['base_pfn', 'count', 'order_per_bit', 'used', 'maxchunk', 'bitmap'] as const;

function sysfsFile(s: SimState, area: string, file: string): string | null {
  if (!(SYSFS_FILES as readonly string[]).includes(file)) return null;
  return `${sysfsOf(s.cma, area)[file as (typeof SYSFS_FILES)[number]]}\n`;
}

function debugfsFile(s: SimState, area: string, file: string): string | null {
  if (!(DEBUGFS_FILES as readonly string[]).includes(file)) return null;
  const d = debugfsOf(s.cma, area);
  // u32 words: `>>> 0` keeps a word with bit 31 set unsigned, as "%u" prints it.
  return file === 'bitmap' ? formatBitmap(d.bitmap.map((w) => w >>> 0)) : `${d[file as Exclude<(typeof DEBUGFS_FILES)[number], 'bitmap'>]}\n`;
}

/** /proc/meminfo: MemTotal, MemFree, Cached, AnonPages, CmaTotal, CmaFree. */
export function meminfo(s: SimState): string {
  const zones = zoneCounters(s);
  const kbPerPage = s.memory.config.pageSize / 1024;
  const sum = (f: (z: (typeof zones)[number]) => number) => zones.reduce((t, z) => t + f(z), 0) * kbPerPage;
  const line = (name: string, kb: number) => `${`${name}:`.padEnd(16)}${String(kb).padStart(8)} kB\n`;
  const cma = meminfoCma(s);
  return line('MemTotal', sum((z) => z.managed)) + line('MemFree', sum((z) => z.free)) + line('Cached', sum((z) => z.pagecache))
    + line('AnonPages', sum((z) => z.anon)) + line('CmaTotal', cma.CmaTotal) + line('CmaFree', cma.CmaFree);
}

const orders = (s: SimState): number[] => Array.from({ length: s.memory.config.maxOrder + 1 }, (_, o) => o);
/** Zones the kernel prints: populated ones. */
const populated = (s: SimState) => s.memory.zones.filter((z) => z.spanned > 0);

/** /proc/buddyinfo: free blocks per order, all migratetypes together. */
export function buddyinfo(s: SimState): string {
  return populated(s).map((z) => {
    const cells = orders(s).map((o) => String(z.free.reduce((t, f) => t + (f.blocks[o] ?? 0), 0)).padStart(6) + ' ');
    return `Node 0, zone ${z.name.padStart(8)} ${cells.join('')}\n`;
  }).join('');
}

/** Kernel names of MIGRATE_TYPES in enum order (include/linux/mmzone.h; HighAtomic not modelled). */
const MT_NAMES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'Isolate'] as const;
const MODEL_MT: readonly (keyof typeof MT_INDEX | null)[] = ['UNMOVABLE', 'MOVABLE', 'RECLAIMABLE', null, 'CMA', 'ISOLATE'];

/** /proc/pagetypeinfo: free blocks per (zone, migratetype, order), then pageblocks per migratetype. */
export function pagetypeinfo(s: SimState): string {
  const pbOrder = s.memory.config.pageblockOrder;
  let out = `Page block order: ${pbOrder}\nPages per block:  ${2 ** pbOrder}\n\n`;
  out += `${'Free pages count per migrate type at order'.padEnd(43)} ${orders(s).map((o) => `${String(o).padStart(6)} `).join('')}\n`;
  for (const z of populated(s)) {
    MT_NAMES.forEach((name, k) => {
      const mt = MODEL_MT[k];
      const cells = orders(s).map((o) => {
        const n = mt === null ? 0 : (z.free[MT_INDEX[mt]].blocks[o] ?? 0);
        return n >= 100000 ? `>${String(100000).padStart(6)} ` : `${String(n).padStart(6)} `;
      });
      out += `Node ${'0'.padStart(4)}, zone ${z.name.padStart(8)}, type ${name.padStart(12)} ${cells.join('')}\n`;
    });
  }
  out += `\n${'Number of blocks type '.padEnd(23)}${MT_NAMES.map((n) => `${n.padStart(12)} `).join('')}\n`;
  s.memory.zones.forEach((z, zi) => {
    if (z.spanned === 0) return;
    const count = new Array<number>(MT_NAMES.length).fill(0);
    for (const pb of s.memory.pageblocks) if (pb.zone === zi) count[MODEL_MT.indexOf(pb.mt)]++;
    out += `Node 0, zone ${z.name.padStart(8)} ${count.map((c) => `${String(c).padStart(12)} `).join('')}\n`;
  });
  return out;
}

/** Every path `kernelFile` answers, in listing order. */
export function kernelPaths(s: SimState): string[] {
  const areas = s.cma.areaOrder;
  return [
    ...areas.flatMap((a) => SYSFS_FILES.map((f) => `${SYSFS}/${a}/${f}`)),
    ...areas.flatMap((a) => DEBUGFS_FILES.map((f) => `${DEBUGFS}/${a}/${f}`)),
    '/proc/meminfo', '/proc/buddyinfo', '/proc/pagetypeinfo',
  ];
}

/** The content of one file (what `cat <path>` prints on the simulated machine); for the debugger. */
export function kernelFile(s: SimState, path: string): string {
  if (path === '/proc/meminfo') return meminfo(s);
  if (path === '/proc/buddyinfo') return buddyinfo(s);
  if (path === '/proc/pagetypeinfo') return pagetypeinfo(s);
  for (const [root, read] of [[SYSFS, sysfsFile], [DEBUGFS, debugfsFile]] as const) {
    if (!path.startsWith(`${root}/`)) continue;
    const rest = path.slice(root.length + 1);
    const slash = rest.lastIndexOf('/');
    const area = rest.slice(0, slash), file = rest.slice(slash + 1);
    if (slash > 0 && Object.hasOwn(s.cma.areas, area)) {
      const text = read(s, area, file);
      if (text !== null) return text;
    }
  }
  throw new KernelPathError(`${printable(path)}: no such file (try ${SYSFS}/<area>/..., ${DEBUGFS}/<area>/..., /proc/meminfo, /proc/buddyinfo, /proc/pagetypeinfo; areas: ${s.cma.areaOrder.map(printable).join(', ')})`);
}

/**
 * A report format: `sysfs` lists every CMA file of every area as `tail -n +1 <files>` prints
 * them (a `==> path <==` line before each file, a blank line between files); the others are the
 * /proc file itself.
 */
export function kernelReport(s: SimState, format: KernelFormat): string {
  if (format !== 'sysfs') return kernelFile(s, `/proc/${format}`);
  return kernelPaths(s).filter((p) => p.startsWith('/sys/')).map((p) => `==> ${printable(p)} <==\n${kernelFile(s, p)}`).join('\n');
}
