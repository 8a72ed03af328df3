import { eachAlignedBlock } from './blocks.ts';
import { GROUP_SHIFT } from './buddy.ts';
import { FREE_TAIL, headCode } from './pageCode.ts';
import { parseSize } from './parseSize.ts';
import { deepFreeze } from './deepFreeze.ts';
import { CMA_FALLBACK_RULES, type KernelProfile } from '../kernel/profile.ts';
import { resolveKernel } from '../kernel/resolveKernel.ts';
import {
  MIGRATETYPES, type BankState, type CmaFallback, type FreeArea, type MemoryConfig, type MemoryState,
  type PageblockState, type ZoneState,
} from './state.ts';

export interface BankConfig {
  readonly name?: string;
  /** Physical base address (bytes, or '0x40000000', '1G'). */
  readonly base?: number | string;
  readonly size: number | string;
  /** Zone the bank belongs to ('Normal' by default); allocations try zones highest first (allocator.ts zoneOrder). */
  readonly zone?: string;
}

/** The machine: memory banks and page-allocator parameters. */
export interface MachineConfig {
  /** Shorthand for one bank at address 0. */
  readonly memory?: number | string;
  readonly banks?: readonly BankConfig[];
  readonly pageSize?: number | string;
  readonly maxOrder?: number;
  readonly pageblockOrder?: number;
  readonly cmaFallback?: CmaFallback;
  /** vm.min_free_kbytes; by default the kernel's sqrt(16 * lowmem KiB) clamped to [128, 262144]. */
  readonly minFreeKbytes?: number;
}

function intField(v: unknown, where: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new Error(`${where}: expected an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
  }
  return v;
}

function emptyFreeArea(maxOrder: number, groups: number): FreeArea {
  return {
    nrFree: 0,
    blocks: new Array(maxOrder + 1).fill(0),
    groups: Array.from({ length: maxOrder + 1 }, () => new Array(groups).fill(0)),
  };
}

/**
 * Validate the machine and lay it out: every pageblock MOVABLE and every page free. The kernel
 * profile supplies the page allocator's era-dependent rules; `cmaFallback` overrides its field.
 */
export function createMemoryState(cfg: MachineConfig, where = 'machine', kernel: KernelProfile = resolveKernel(null)): MemoryState {
  if (typeof cfg !== 'object' || cfg === null) throw new Error(`${where}: expected an object`);
  const pageSize = cfg.pageSize === undefined ? 4096 : parseSize(cfg.pageSize, `${where}.pageSize`);
  if (pageSize < 4096 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`${where}.pageSize: expected a power of two >= 4096, got ${pageSize}`);
  const maxOrder = intField(cfg.maxOrder, `${where}.maxOrder`, 0, 20, 10);
  const pageblockOrder = intField(cfg.pageblockOrder, `${where}.pageblockOrder`, 0, 20, Math.min(9, maxOrder));
  if (pageblockOrder > maxOrder) throw new Error(`${where}.pageblockOrder: ${pageblockOrder} is above maxOrder ${maxOrder} (a pageblock may not exceed the largest buddy block)`);
  const cmaFallback = cfg.cmaFallback ?? kernel.cmaFallback;
  if (!CMA_FALLBACK_RULES.includes(cmaFallback)) throw new Error(`${where}.cmaFallback: expected 'balance', 'first' or 'last', or an older kernel's 'after-movable' or 'fallback-list', got ${JSON.stringify(cmaFallback)}`);
  const bankCfgs: readonly BankConfig[] = cfg.banks ?? (cfg.memory !== undefined ? [{ name: 'dram0', base: 0, size: cfg.memory }] : []);
  if (!Array.isArray(bankCfgs) || bankCfgs.length === 0) throw new Error(`${where}.banks: expected at least one memory bank (or ${where}.memory)`);
  const pbBytes = pageSize * 2 ** pageblockOrder;
  const config: MemoryConfig = { pageSize, maxOrder, pageblockOrder, cmaFallback, pinTarget: kernel.pinTarget, skipCma: kernel.skipCma, fallbackClaim: kernel.fallbackClaim, claimCounts: kernel.claimCounts, mergeRule: kernel.mergeRule };

  const zoneNames: string[] = [];
  const parsed = bankCfgs.map((b, i) => {
    const w = `${where}.banks[${i}]`;
    if (typeof b !== 'object' || b === null) throw new Error(`${w}: expected an object with size and base`);
    const base = parseSize(b.base ?? 0, `${w}.base`);
    const size = parseSize(b.size, `${w}.size`);
    if (size === 0) throw new Error(`${w}.size: must not be zero`);
    if (base % pageSize !== 0) throw new Error(`${w}.base: 0x${base.toString(16)} is not page-aligned (page size ${pageSize})`);
    if (size % pageSize !== 0) throw new Error(`${w}.size: ${size} is not page-aligned (page size ${pageSize})`);
    if (base % pbBytes !== 0) throw new Error(`${w}.base: 0x${base.toString(16)} is not pageblock-aligned (${pbBytes} bytes); the simulator requires pageblock-aligned banks`);
    if (size % pbBytes !== 0) throw new Error(`${w}.size: ${size} is not a multiple of the pageblock size (${pbBytes} bytes); the simulator requires whole pageblocks`);
    const zone = b.zone ?? 'Normal';
    if (typeof zone !== 'string' || zone === '') throw new Error(`${w}.zone: expected a zone name`);
    if (!zoneNames.includes(zone)) zoneNames.push(zone);
    return { name: b.name ?? `bank${i}`, base, size, zone, i };
  });
  const sorted = [...parsed].sort((a, b) => a.base - b.base);
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1];
    const b = sorted[k];
    if (b.base < a.base + a.size) throw new Error(`${where}.banks[${b.i}]: overlaps ${where}.banks[${a.i}] ('${a.name}' ends at 0x${(a.base + a.size).toString(16)}, '${b.name}' starts at 0x${b.base.toString(16)})`);
  }
  const names = new Set<string>();
  for (const b of parsed) {
    if (names.has(b.name)) throw new Error(`${where}.banks[${b.i}].name: duplicate bank name '${b.name}'`);
    names.add(b.name);
  }

  const pbPages = 2 ** pageblockOrder;
  const banks: BankState[] = [];
  let nPb = 0;
  for (const b of sorted) {
    const startPfn = b.base / pageSize;
    if (startPfn + b.size / pageSize > 2 ** 31) throw new Error(`${where}.banks[${b.i}]: ends above pfn 2^31, which the simulator does not support`);
    banks.push({ name: b.name, startPfn, nrPages: b.size / pageSize, firstPb: nPb, zone: zoneNames.indexOf(b.zone) });
    nPb += b.size / pbBytes;
  }
  const nGroups = Math.ceil(nPb / 2 ** GROUP_SHIFT);
  const pbs: PageblockState[] = [];
  const zoneFree = zoneNames.map(() => emptyFreeArea(maxOrder, nGroups));
  const mv = 1; // MT_INDEX.MOVABLE: every pageblock starts MOVABLE, as memmap_init does
  for (const bank of banks) {
    const nb = bank.nrPages / pbPages;
    const heads: number[][] = Array.from({ length: nb }, () => []);
    const orders: number[] = new Array(nb).fill(0);
    const pages: number[][] = Array.from({ length: nb }, () => new Array(pbPages).fill(FREE_TAIL));
    eachAlignedBlock(bank.startPfn, bank.startPfn + bank.nrPages, maxOrder, (pfn, o) => {
      const rel = pfn - bank.startPfn;
      const j = Math.floor(rel / pbPages);
      pages[j][rel % pbPages] = headCode(o);
      heads[j].push(rel % pbPages);
      orders[j] |= 1 << o;
      const f = zoneFree[bank.zone] as { nrFree: number; blocks: number[]; groups: number[][] };
      f.blocks[o]++;
      f.groups[o][(bank.firstPb + j) >> GROUP_SHIFT]++;
      f.nrFree += 2 ** o;
    });
    for (let j = 0; j < nb; j++) {
      pbs.push({ mt: 'MOVABLE', saved: null, reserve: null, reserveOwner: -1, zone: bank.zone, nrFree: pbPages, heads: heads[j], orders: orders[j], pages: pages[j], pins: null });
    }
  }
  const totalPages = banks.reduce((s, b) => s + b.nrPages, 0);
  const minKb = cfg.minFreeKbytes !== undefined
    ? intField(cfg.minFreeKbytes, `${where}.minFreeKbytes`, 0, 2 ** 40, 0)
    : Math.min(262144, Math.max(128, Math.floor(Math.sqrt(totalPages * (pageSize / 1024) * 16))));
  const minPages = Math.floor((minKb * 1024) / pageSize);
  const zones: ZoneState[] = zoneNames.map((name, z) => {
    const spanned = banks.filter((b) => b.zone === z).reduce((s, b) => s + b.nrPages, 0);
    // __setup_per_zone_wmarks: min split by zone size; low/high add max(min/4, 0.1% of the zone).
    const min = Math.floor((minPages * spanned) / totalPages);
    const step = Math.max(min >> 2, Math.floor((spanned * 10) / 10000));
    const free = MIGRATETYPES.map((_, k) => (k === mv ? zoneFree[z] : emptyFreeArea(maxOrder, nGroups)));
    return {
      name, spanned, managed: spanned, nrFree: spanned, cmaPages: 0,
      watermark: { min, low: min + step, high: min + 2 * step },
      free,
      used: { unmovable: 0, reclaimable: 0, anon: 0, pagecache: 0, taken: 0, reserved: 0 },
    };
  });
  return deepFreeze({
    config, banks, zones, pageblocks: pbs, owners: [], allocs: {}, allocIds: {}, nextSerial: 1, pins: {},
    stats: { allocFailures: 0, reclaimed: 0, migrated: 0, stolen: 0 },
  });
}
