/**
 * Boot: validate the CMA configuration (plain data, as lib/config's parsers produce it), place each
 * area, reserve it inside memory (shared areas become MIGRATE_CMA pageblocks, private ones are
 * reserved and never reach the page allocator) and build the allocator state.
 */
import { reserveRange } from '../mm/contig.ts';
import { parseSize } from '../memory/parseSize.ts';
import type { MemoryState } from '../memory/state.ts';
import type { KernelProfile } from '../kernel/profile.ts';
import { resolveKernel } from '../kernel/resolveKernel.ts';
import { mergeCosts } from '../timing/costs.ts';
import { FREE_SHARED_LOCKS } from '../timing/sharedLocks.ts';
import { NO_CONTENTION, type Cpu } from '../timing/cpu.ts';
import { getAllocator } from './allocators/registry.ts';
import { LOCK_MODES, type AreaState, type CmaState, type DefragPolicy, type LockMode } from './state.ts';

/** Pages per bitmap bit, as an order: up to 1 GiB gigantic pages of 4 KiB pages and beyond, with room. */
export const MAX_ORDER_PER_BIT = 30;

export interface CmaAreaConfig {
  readonly name: string;
  /** Bytes, or a string such as '256M'. */
  readonly size: number | string;
  /** Fixed physical base (bytes); otherwise the area is placed top-down inside allocRange/bank. */
  readonly base?: number | string | null;
  /** Placement alignment in bytes (power of two, at least a pageblock; default a pageblock). */
  readonly alignment?: number | string;
  /** Physical address range the area must lie in (device tree alloc-ranges, cma=size@start-end). */
  readonly allocRange?: { readonly start: number | string; readonly end: number | string };
  /** Same as allocRange, as the scenario section writes it: [start, end]. */
  readonly range?: readonly [number | string, number | string] | null;
  /** Bank the area must live in (by name). */
  readonly bank?: string | null;
  /** Mainline's default area (cma= / linux,cma-default): devices without their own area use it. */
  readonly default?: boolean;
  readonly orderPerBit?: number;
  /** The series' private context: reserved, never lent to the page allocator. Default shared. */
  readonly private?: boolean;
  /** Allocator name from the registry; default 'bitmap'. */
  readonly allocator?: string;
  readonly allocatorParams?: Readonly<Record<string, unknown>>;
}

export interface CmaConfig {
  /** CONFIG_CMA_AREAS; default 8. */
  readonly areasMax?: number;
  /** Overrides the kernel profile's lockMode. */
  readonly lockMode?: LockMode;
  readonly areas?: readonly CmaAreaConfig[];
  /** 'off' (default), 'manual', 'on-release', or with the teaching variant that ignores pins. */
  readonly defrag?: DefragPolicy['mode'] | { readonly mode: DefragPolicy['mode']; readonly variant?: 'defrag-ignores-pins' };
  /** Drop clean page cache instead of migrating it; overrides the kernel profile's discardClean. */
  readonly discardClean?: boolean;
  /** Pages per migration batch; default 32 (COMPACT_CLUSTER_MAX). */
  readonly migrateBatch?: number;
  /** Overrides of models/timing DEFAULT_COSTS. */
  readonly costs?: Readonly<Record<string, unknown>>;
  /** Early-framework cma_map rules: resolved by lib/config and the devices model, not used here. */
  readonly map?: string | null;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function defragPolicy(d: CmaConfig['defrag']): DefragPolicy {
  const modes = ['off', 'manual', 'on-release'];
  const mode = typeof d === 'object' && d !== null ? d.mode : d ?? 'off';
  if (!modes.includes(mode)) throw new Error(`cma.defrag: expected one of ${modes.join(', ')}, got ${JSON.stringify(mode)}`);
  const variant = typeof d === 'object' && d !== null ? d.variant : undefined;
  if (variant !== undefined && variant !== 'defrag-ignores-pins') throw new Error(`cma.defrag.variant: expected 'defrag-ignores-pins', got ${JSON.stringify(variant)}`);
  return { mode, ignorePins: variant === 'defrag-ignores-pins' };
}

interface Placed { readonly name: string; readonly start: number; readonly end: number }

const SZ_4G = 2 ** 32;

/** Lowest aligned [start, start + size) inside [lo, hi) that overlaps no placed area (memblock bottom-up). */
function placeBottomUp(lo: number, hi: number, size: number, align: number, placed: readonly Placed[]): number | null {
  let start = Math.ceil(lo / align) * align;
  for (;;) {
    if (start + size > hi) return null;
    const end = start + size;
    const clash = placed.find((p) => p.start < end && start < p.end);
    if (!clash) return start;
    start = Math.ceil(clash.end / align) * align;
  }
}

/**
 * The kernel's minimum area alignment (cma_declare_contiguous / cma_init_reserved_mem): 3.5
 * PAGE_SIZE << max(MAX_ORDER, pageblock_order) with MAX_ORDER one above the largest order; then
 * << max(MAX_ORDER - 1, pageblock_order) (5.10 mm/cma.c); CMA_MIN_ALIGNMENT_BYTES, one pageblock, since 5.18.
 */
function minAlignment(k: KernelProfile, pageSize: number, maxOrder: number, pbOrder: number): number {
  if (k.areaAlignment === 'max-order-plus-one') return pageSize * 2 ** Math.max(maxOrder + 1, pbOrder);
  if (k.areaAlignment === 'max-order') return pageSize * 2 ** Math.max(maxOrder, pbOrder);
  return pageSize * 2 ** pbOrder;
}

/** Highest aligned [start, start + size) inside [lo, hi) that overlaps no placed area (memblock is top-down). */
function placeTopDown(lo: number, hi: number, size: number, align: number, placed: readonly Placed[]): number | null {
  let top = hi;
  for (;;) {
    const start = Math.floor((top - size) / align) * align;
    if (start < lo) return null;
    const clash = placed.find((p) => p.start < start + size && start < p.end);
    if (!clash) return start;
    top = clash.start;
  }
}

export function createCmaState(cfg: CmaConfig, memory: MemoryState, kernelIn: KernelProfile = resolveKernel(null), cpu: Cpu = NO_CONTENTION): { cma: CmaState; memory: MemoryState } {
  const kernel: KernelProfile = { ...kernelIn, lockMode: cfg.lockMode ?? kernelIn.lockMode, discardClean: cfg.discardClean ?? kernelIn.discardClean };
  const areasMax = cfg.areasMax ?? 8;
  if (!Number.isInteger(areasMax) || areasMax < 1) throw new Error(`cma.areasMax: expected a positive integer, got ${JSON.stringify(areasMax)}`);
  const lockMode = kernel.lockMode;
  if (!LOCK_MODES.includes(lockMode)) throw new Error(`cma.lockMode: expected one of ${LOCK_MODES.join(', ')}, got ${JSON.stringify(lockMode)}`);
  const decls = cfg.areas ?? [];
  if (!Array.isArray(decls)) throw new Error('cma.areas: expected an array of area declarations');
  if (decls.length > areasMax) {
    throw new Error(`cma.areas[${areasMax}] '${decls[areasMax]?.name}': ${decls.length} areas declared but CMA_AREAS is ${areasMax}`);
  }
  const migrateBatch = cfg.migrateBatch ?? 32;
  if (!Number.isInteger(migrateBatch) || migrateBatch < 1) throw new Error(`cma.migrateBatch: expected a positive integer, got ${JSON.stringify(migrateBatch)}`);
  const { pageSize, pageblockOrder, maxOrder } = memory.config;
  const pb = pageSize * 2 ** pageblockOrder;
  const minAlign = minAlignment(kernel, pageSize, maxOrder, pageblockOrder);
  const dramEnd = Math.max(...memory.banks.map((b) => b.startPfn + b.nrPages)) * pageSize;
  const placed: Placed[] = [];
  const areas: Record<string, AreaState> = {};
  let mem = memory;
  decls.forEach((a, i) => {
    const w = `cma.areas[${i}]${typeof a?.name === 'string' ? ` '${a.name}'` : ''}`;
    if (typeof a !== 'object' || a === null) throw new Error(`${w}: expected an area declaration object`);
    if (typeof a.name !== 'string' || a.name === '') throw new Error(`${w}.name: expected a non-empty string`);
    if (Object.hasOwn(areas, a.name)) throw new Error(`${w}.name: area '${a.name}' is declared twice`);
    const asked = parseSize(a.size, `${w}.size`);
    if (asked === 0 || asked % pb !== 0) throw new Error(`${w}.size: ${asked} bytes is not a positive multiple of the pageblock size (${pb} bytes)`);
    const given = a.alignment === undefined ? pb : parseSize(a.alignment, `${w}.alignment`);
    if (given < pb || (given & (given - 1)) !== 0 && given % pb !== 0) throw new Error(`${w}.alignment: ${given} must be a power of two of at least a pageblock (${pb} bytes)`);
    // cma_declare_contiguous raises the alignment to the era's minimum and rounds the size up to it.
    const align = Math.max(given, minAlign);
    const size = Math.ceil(asked / align) * align;
    // The kernel does not bound order_per_bit by MAX_ORDER (hugetlb_cma passes the huge page
    // order); cma_declare_contiguous_nid only wants the size, in pages, a multiple of a bit.
    const orderPerBit = a.orderPerBit ?? 0;
    if (!Number.isInteger(orderPerBit) || orderPerBit < 0 || orderPerBit > MAX_ORDER_PER_BIT) throw new Error(`${w}.orderPerBit: expected an integer in [0, ${MAX_ORDER_PER_BIT}], got ${JSON.stringify(a.orderPerBit)}`);
    if ((size / pageSize) % 2 ** orderPerBit !== 0) throw new Error(`${w}.orderPerBit: the area's ${size / pageSize} pages are not a multiple of 2^${orderPerBit} pages per bit (the kernel refuses it with -EINVAL)`);
    let banks = memory.banks;
    if (a.bank !== undefined && a.bank !== null) {
      banks = memory.banks.filter((x) => x.name === a.bank);
      if (banks.length === 0) throw new Error(`${w}.bank: no memory bank named ${JSON.stringify(a.bank)} (banks: ${memory.banks.map((x) => x.name).join(', ')})`);
    }
    let lo = Math.min(...banks.map((b) => b.startPfn)) * pageSize;
    let hi = Math.max(...banks.map((b) => b.startPfn + b.nrPages)) * pageSize;
    const range = a.allocRange ?? (a.range ? { start: a.range[0], end: a.range[1] } : undefined);
    if (range !== undefined) {
      const s = parseSize(range.start, `${w}.allocRange.start`);
      const e = parseSize(range.end, `${w}.allocRange.end`);
      if (e <= s) throw new Error(`${w}.allocRange: end ${hex(e)} is not above start ${hex(s)}`);
      lo = Math.max(lo, s);
      hi = Math.min(hi, e);
    }
    let start: number;
    if (a.base !== undefined && a.base !== null) {
      start = parseSize(a.base, `${w}.base`);
      if (start % pb !== 0) throw new Error(`${w}.base: ${hex(start)} is not aligned to the pageblock size (${pb} bytes)`);
      if (start % align !== 0) throw new Error(`${w}.base: ${hex(start)} is not aligned to the area's alignment (${align} bytes)`);
      if (start < lo || start + size > hi) throw new Error(`${w}.base: [${hex(start)}, ${hex(start + size)}) is outside the allowed range [${hex(lo)}, ${hex(hi)})`);
      const clash = placed.find((p) => p.start < start + size && start < p.end);
      if (clash) throw new Error(`${w}.base: [${hex(start)}, ${hex(start + size)}) overlaps area '${clash.name}' [${hex(clash.start)}, ${hex(clash.end)})`);
    } else {
      let s: number | null = null;
      // 5.11+ (cma_declare_contiguous_nid): with RAM reaching 4 GiB + size, bottom-up from 4 GiB first.
      if (kernel.placement === 'bottom-up-above-4g' && dramEnd >= SZ_4G + size) {
        for (const b of [...banks].sort((x, y) => x.startPfn - y.startPfn)) {
          s = placeBottomUp(Math.max(lo, SZ_4G, b.startPfn * pageSize), Math.min(hi, (b.startPfn + b.nrPages) * pageSize), size, align, placed);
          if (s !== null) break;
        }
      }
      // Otherwise memblock allocates top-down: the highest bank first, each clipped to the allowed range.
      for (const b of s !== null ? [] : [...banks].sort((x, y) => y.startPfn - x.startPfn)) {
        s = placeTopDown(Math.max(lo, b.startPfn * pageSize), Math.min(hi, (b.startPfn + b.nrPages) * pageSize), size, align, placed);
        if (s !== null) break;
      }
      if (s === null) throw new Error(`${w}.size: no free ${size}-byte range aligned to ${align} in [${hex(lo)}, ${hex(hi)})`);
      start = s;
    }
    const startPfn = start / pageSize;
    const count = size / pageSize;
    const bank = memory.banks.find((b) => b.startPfn <= startPfn && startPfn + count <= b.startPfn + b.nrPages);
    if (!bank) throw new Error(`${w}: [${hex(start)}, ${hex(start + size)}) does not lie within one memory bank`);
    placed.push({ name: a.name, start, end: start + size });
    const allocatorName = a.allocator ?? kernel.defaultAllocator;
    let allocator;
    try {
      allocator = getAllocator(allocatorName);
    } catch (err) {
      throw new Error(`${w}.allocator: ${(err as Error).message}`);
    }
    const geo = { name: a.name, basePfn: startPfn, count, orderPerBit };
    const alloc = allocator.init(geo, a.allocatorParams ?? {});
    mem = reserveRange(mem, startPfn, count, a.private ? 'private' : 'cma');
    areas[a.name] = {
      name: a.name, basePfn: startPfn, count, orderPerBit, bank: bank.name, shared: !a.private,
      allocator: allocatorName, alloc, available: count, isDefault: a.default === true,
      counters: { allocPagesSuccess: 0, allocPagesFail: 0, releasePagesSuccess: 0 },
    };
  });
  // Areas were placed in declaration order; a fixed base declared later may still overlap an
  // earlier placed one, which the clash check above already refused.
  const cma: CmaState = {
    kernel, lockMode, areasMax, areas, areaOrder: decls.map((a) => a.name), requests: {}, threads: {}, nextRequestId: 1, chunks: {},
    releases: {}, locks: {}, discardClean: kernel.discardClean, costs: mergeCosts(cfg.costs ?? {}, 'cma.costs'), cpu,
    sharedLocks: FREE_SHARED_LOCKS,
    migrateBatch, defrag: defragPolicy(cfg.defrag), warnings: 0, vmAllocSuccess: 0, vmAllocFail: 0,
  };
  return { cma, memory: mem };
}
