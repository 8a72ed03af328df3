/**
 * Plain-data configuration produced by the parsers in lib/config. Every field is a JSON value
 * (numbers are byte counts or physical addresses, always integers <= Number.MAX_SAFE_INTEGER),
 * so the models can keep these in state as they are.
 */

/** Page geometry the kernel rounding rules depend on. */
export interface PageGeometry {
  /** Bytes per page; a power of two. Default 4096. */
  readonly pageSize: number;
  /** log2(pages per pageblock). Default 9 (2 MiB pageblocks with 4 KiB pages). */
  readonly pageblockOrder: number;
  /**
   * log2(pages) of CMA_MIN_ALIGNMENT_BYTES. Default = pageblockOrder (kernels >= 5.18); older
   * kernels used max(MAX_ORDER - 1, pageblock_order), e.g. 10 on x86-64.
   */
  readonly cmaAlignOrder: number;
}

// ---------------------------------------------------------------- mainline command line

/** What `cma=` left in the kernel's size_cmdline/base_cmdline/limit_cmdline (0 = not given). */
export interface CmaParam {
  readonly size: number;
  readonly base: number;
  readonly limit: number;
}

export interface NodeSize {
  readonly node: number;
  readonly size: number;
}

/** `hugetlb_cma=`: either one total spread over the online nodes, or explicit per-node sizes. */
export type HugetlbCmaParam =
  | { readonly form: 'total'; readonly size: number }
  | { readonly form: 'per-node'; readonly nodes: readonly NodeSize[] };

export type MainlineAreaSource = 'cma' | 'cma_pernuma' | 'numa_cma' | 'hugetlb_cma';

/** One CMA area as the kernel would declare it at boot (after its rounding). */
export interface MainlineArea {
  /** 'reserved' (default area), 'pernuma<N>', 'numa<N>', 'hugetlb<N>'. */
  readonly name: string;
  readonly source: MainlineAreaSource;
  /** Bytes, rounded up to `alignment`. */
  readonly size: number;
  /** Exact start when `fixed`; otherwise the lowest acceptable start. Absent: anywhere. */
  readonly base?: number;
  /** Exclusive upper end of the placement window. Absent: end of memory. */
  readonly limit?: number;
  readonly fixed: boolean;
  /** Bytes the start (and size) are aligned to. */
  readonly alignment: number;
  /** NUMA node the area must come from; absent: any node. */
  readonly node?: number;
  /** Pages per bitmap bit = 2^orderPerBit. */
  readonly orderPerBit: number;
}

export interface MainlineConfig {
  /** Absent when no `cma=` was given (Kconfig default applies); size 0 disables the default area. */
  readonly cma?: CmaParam;
  readonly pernuma?: number;
  readonly numaCma?: readonly NodeSize[];
  readonly hugetlbCma?: HugetlbCmaParam;
  /** Areas in the order the kernel declares them: numa/pernuma per node, default, hugetlb. */
  readonly areas: readonly MainlineArea[];
}

export interface MainlineOptions extends Partial<PageGeometry> {
  /** Online NUMA nodes, ascending. Default [0]. */
  readonly onlineNodes?: readonly number[];
  /** MAX_NUMNODES. Default 64 (NODES_SHIFT 6). */
  readonly maxNumNodes?: number;
  /** Gigantic page order used by hugetlb_cma. Default 18 (1 GiB with 4 KiB pages). */
  readonly hugetlbOrder?: number;
  /** Architecture DMA limit passed to dma_contiguous_reserve (0 = none). Default 0. */
  readonly dmaLimit?: number;
  /** CONFIG_CMA_SIZE_MBYTES as bytes: the default area's size when the line has no `cma=`. Default 0. */
  readonly kconfigSize?: number;
  /** End of memory (memblock_end); a limit of 0 or above it becomes this. Default: unknown. */
  readonly memoryEnd?: number;
}

// ---------------------------------------------------------------- original series (2010-2011)

export interface OriginalRegion {
  /** Unique. For the reviewers' form `kind/dev1,dev2=size` it is `kind/dev1,dev2`. */
  readonly name: string;
  /** Bytes, rounded up to a page. */
  readonly size: number;
  /** Requested start, aligned up to `alignment`; absent (or 0 in the text) means anywhere. */
  readonly start?: number;
  /** Bytes; a power of two, at least one page (the series' default). */
  readonly alignment: number;
  /** Allocator name; absent: the first registered allocator. */
  readonly allocator?: string;
  readonly allocatorParams?: string;
  /** Reviewers' proposed form only: the memory kind and the devices the region is set aside for. */
  readonly kind?: string;
  readonly devices?: readonly string[];
}

/** `dev/kind` pattern; null device = reuse the previous pattern's device; null kind = no kind. */
export interface MapPattern {
  readonly device: string | null;
  readonly kind: string | null;
}

export interface MapRule {
  readonly patterns: readonly MapPattern[];
  /** Ordered fallback list of region names. */
  readonly regions: readonly string[];
}

export interface OriginalConfig {
  readonly regions: readonly OriginalRegion[];
  readonly map: readonly MapRule[];
}

export type ResolveResult =
  | { readonly matched: true; readonly regions: readonly string[]; readonly rule: number }
  | { readonly matched: false };

// ---------------------------------------------------------------- device tree reserved-memory

export type DtAreaKind = 'cma' | 'dma-pool' | 'reserved';

export interface DtArea {
  /** Full node name, unit address included (what the kernel names the area). */
  readonly name: string;
  readonly compatible: readonly string[];
  /** 'cma': reusable shared-dma-pool; 'dma-pool': shared-dma-pool without reusable; else 'reserved'. */
  readonly kind: DtAreaKind;
  readonly size: number;
  /** From `reg`: placed exactly here. Absent: allocated at boot (dynamic). */
  readonly base?: number;
  /** Dynamic areas only; raised to CMA_MIN_ALIGNMENT_BYTES for CMA areas. */
  readonly alignment?: number;
  /** Dynamic areas only: windows tried in order. */
  readonly allocRanges?: readonly { readonly base: number; readonly size: number }[];
  readonly reusable: boolean;
  readonly noMap: boolean;
  /** `linux,cma-default`: becomes the default CMA area. */
  readonly default: boolean;
  /** Not lent to the page allocator (everything but 'cma'). */
  readonly private: boolean;
}

export interface DtOptions extends Partial<PageGeometry> {
  /** Root #address-cells / #size-cells; when given, the block's must equal them (kernel check). */
  readonly rootAddressCells?: number;
  readonly rootSizeCells?: number;
  /**
   * The command line also has `cma=`: rmem_cma_setup() then bypasses the linux,cma-default node
   * (it stays reserved but is no CMA area), which is modelled as kind 'reserved', private.
   */
  readonly cmdlineCma?: boolean;
}
