/**
 * The scenario format, declared once (see shape.ts): `ScenarioInput` is its TypeScript type, `cma-sim
 * schema` prints its JSON Schema, and the section checkers take their field names and enum values
 * from it.
 */
import { MAX_EVENT_PAGES } from '../../events/schema.ts';
import { allocatorNames } from '../../models/cma/allocators/registry.ts';
import { CMA_FALLBACK_RULES, KERNEL_VERSIONS } from '../../models/kernel/profile.ts';
import { COST_FIELDS, type Costs } from '../../models/timing/costs.ts';
import { METRIC_NAMES } from './metrics.ts';
import { t, type Infer, type Shape } from './shape.ts';

/**
 * Events per simulated second at most. Gaps are whole nanoseconds of at least 1
 * (models/workload/arrival), so above 1e9 a rate only means more events at the same 1 ns spacing.
 */
export const MAX_RATE = 1e9;

const name = t.string;
const names = (d?: string) => t.array(t.string(), d);

export const BANK = t.object({
  name: t.req(name()),
  base: t.size('physical base address'),
  size: t.req(t.size()),
  zone: t.string("the zone the bank belongs to ('Normal' by default); allocations try zones highest first: Movable, HighMem, Normal, DMA32, DMA"),
});

export const MACHINE = t.object({
  banks: t.array(BANK, 'memory banks (or give ram)'),
  ram: t.size('shorthand for one bank at address 0'),
  pageSize: t.size('4K..256K, a power of two'),
  pageblockOrder: t.int(0, 20),
  maxOrder: t.int(0, 20),
  cmaFallback: t.enum(CMA_FALLBACK_RULES, 'where movable allocations meet CMA pageblocks; absent: the kernel profile\'s rule'),
  minFreeKbytes: t.int(0, 2 ** 40, 'vm.min_free_kbytes; by default the kernel\'s sqrt(16 * lowmem KiB) clamped to [128, 262144]'),
  cpus: t.int(1, 4096, 'CPUs (default 1); with load, CPU-bound allocation work stretches by max(1, (load + 1) / cpus)'),
  load: t.int(0, 1_000_000, 'background runnable threads competing with an allocation (make -j16: 16); default 0'),
  cpuContention: t.boolean('false: allocation work takes its cost as if it had a CPU to itself (default true)'),
  hz: t.int(1, 100_000, 'CONFIG_HZ: with load, the allocating thread is scheduled by CFS timer ticks (quanta, run-queue waits) instead of the fair-share stretch'),
}, 'the machine: banks (or ram) and page-allocator parameters');

export const DEFRAG_MODES = ['off', 'manual', 'on-release'] as const;
export const DEFRAG = t.object({ mode: t.req(t.enum(DEFRAG_MODES)), variant: t.req(t.enum(['defrag-ignores-pins'])) });

export const AREA = t.object({
  name: t.req(name()),
  size: t.req(t.size('a multiple of the pageblock size')),
  base: t.size('fixed base address'),
  alignment: t.size(),
  range: t.tuple([t.size(), t.size()], '[start, end) the area is placed in'),
  orderPerBit: t.int(0, 30, 'pages per bitmap bit, as an order; the size must hold a whole number of bits (hugetlb_cma uses the huge page order, above maxOrder)'),
  bank: t.string('the bank to place it in'),
  private: t.boolean('never lent to the page allocator'),
  allocator: t.enum(allocatorNames()),
  allocatorParams: t.record(t.any()),
  default: t.boolean("mainline's default area (cma= / linux,cma-default)"),
});

export const LOCK_MODES = ['global', 'split', 'per-area', 'series'] as const;
export const CMA = t.object({
  lockMode: t.enum(LOCK_MODES),
  areas: t.array(AREA),
  map: t.string("the original series' cma_map= rules ('dev/kind=region,region;...')"),
  discardClean: t.boolean(),
  areasMax: t.int(1, 64, 'CONFIG_CMA_AREAS'),
  defrag: t.union([t.enum(DEFRAG_MODES), DEFRAG]),
  migrateBatch: t.int(1, MAX_EVENT_PAGES, 'pages per migration batch'),
});

export const WORK = t.object({ period: t.req(t.duration()), duration: t.req(t.duration()), buffers: names('buffers it pins (none listed: all)') });
export const BUFFER = t.object({
  name: t.req(name()),
  size: t.req(t.size()),
  align: t.int(0, 30),
  kind: t.string(),
  shareWith: names(),
  heap: t.string(),
  region: t.string(),
});
export const DEVICE = t.object({
  name: t.req(name()),
  kinds: t.record(t.union([t.string(), t.array(t.string())]), 'kind -> region name, or regions to fall back through'),
  dmaBits: t.int(12, 64),
  iommu: t.boolean(),
  area: t.string(),
  buffers: t.array(BUFFER),
  work: WORK,
});

export const HEAP = t.object({ name: t.req(name()), type: t.req(t.enum(['carveout', 'cma', 'system'])), area: t.string() });
export const USE_CASE = t.object({ name: t.req(name()), devices: t.req(names()), exclusive: t.boolean() });
export const DMA = t.object({
  policy: t.enum(['mainline', 'original', 'auto']),
  defaultArea: t.string(),
  heaps: t.array(HEAP),
  useCases: t.array(USE_CASE),
  zeroRegions: names('size-0 regions the map and kinds may name'),
  zeroFallback: t.boolean(),
  deviceAreaFallback: t.boolean(),
  pollNs: t.duration(),
});

export const PAGECACHE = t.object({
  dirtyExpire: t.duration('writeback starts this long after a page is dirtied (dirty_expire_centisecs); absent: the kernel\'s 30s'),
  writebackPerPage: t.duration('time to write one page back (default: 4 KiB at the kernel\'s INIT_BW of 100 MiB/s, ~39us)'),
  readPerPage: t.duration('time to read one page in; a fault\'s new pages stay locked until their read ends (default: as writebackPerPage, ~39us)'),
}, 'page-cache writeback');

const common = {
  start: t.duration(),
  stop: t.duration(),
  count: t.int(1, Number.MAX_SAFE_INTEGER, 'events it emits at most'),
} as const;
const arrival = {
  period: t.duration(), jitter: t.duration(), rate: t.number({ min: 0, max: MAX_RATE }, 'events per second'),
  every: t.duration(), size: t.int(1, MAX_EVENT_PAGES, 'events per burst'), spacing: t.duration(),
} as const;
const files = { files: t.int(1, MAX_EVENT_PAGES), fileSize: t.size() } as const;
export const ALLOC = t.object({
  device: t.string(), requester: t.string(), kind: t.string(),
  areas: t.union([t.string(), t.array(t.string())]),
  size: t.req(t.range(t.size())), align: t.int(0, 30), hold: t.range(t.duration()),
});
export const CASE_ENTRY = t.union([t.string(), t.object({ device: t.req(t.string()), buffers: t.array(BUFFER), work: WORK })]);
const gen = <const G extends string>(g: G) => t.req(t.enum([g] as const));

export const GENERATOR_SHAPES = {
  periodic: t.object({ name: t.string(), generator: gen('periodic'), ...common, ...arrival, period: t.req(t.duration()), alloc: t.req(ALLOC) }),
  poisson: t.object({ name: t.string(), generator: gen('poisson'), ...common, ...arrival, rate: t.req(arrival.rate), alloc: t.req(ALLOC) }),
  burst: t.object({ name: t.string(), generator: gen('burst'), ...common, ...arrival, every: t.req(t.duration()), size: t.req(arrival.size), alloc: t.req(ALLOC) }),
  pagecache: t.object({ name: t.string(), generator: gen('pagecache'), ...common, ...arrival, ...files, readahead: t.range(t.int(1, MAX_EVENT_PAGES)), dirty: t.number({ min: 0, max: 1 }) }),
  pins: t.object({
    name: t.string(), generator: gen('pins'), ...common, ...arrival, ...files, pages: t.range(t.int(1, MAX_EVENT_PAGES)), hold: t.req(t.range(t.duration())), longterm: t.number({ min: 0, max: 1 }),
  }),
  memory: t.object({
    name: t.string(), generator: gen('memory'), ...common, ...arrival, kind: t.enum(['movable', 'unmovable', 'reclaimable']), order: t.range(t.int(0, 20)),
    pages: t.range(t.int(1, MAX_EVENT_PAGES)), hold: t.range(t.duration()), owner: t.string(),
  }),
  usecase: t.object({
    name: t.string(), generator: gen('usecase'), ...common, cases: t.record(t.array(CASE_ENTRY)),
    switches: t.array(t.object({ at: t.req(t.duration()), to: t.req(t.string()) })), dwell: t.range(t.duration()), initial: t.string(),
  }),
  replay: t.object({
    name: t.string(), generator: gen('replay'), ...common,
    events: t.req(t.array(t.object({ at: t.req(t.duration()), event: t.req(t.object({ type: t.req(t.string()) })) }))),
  }),
} as const;
export const GENERATORS = Object.keys(GENERATOR_SHAPES) as (keyof typeof GENERATOR_SHAPES)[];

const durationShape = t.duration();
export const COST_ALIAS_NAMES = ['migratePerPage'] as const;
export const COSTS = t.object(Object.fromEntries([...COST_FIELDS, ...COST_ALIAS_NAMES].map((k) => [k, durationShape])) as {
  readonly [K in keyof Costs | (typeof COST_ALIAS_NAMES)[number]]: typeof durationShape
}, 'cost-model overrides, integer ns or durations');

export const OPS = ['<', '<=', '==', '>=', '>'] as const;
export const ASSERTION = t.object({
  name: t.string(),
  metric: t.req(t.union([t.enum(METRIC_NAMES), t.string('a CMA area\'s kernel file, cma.<area>.<file> (used, maxchunk, count, alloc_pages_fail, ...), or meminfo.CmaFree / meminfo.CmaTotal')])),
  op: t.req(t.enum(OPS)),
  value: t.req(t.number()),
  when: t.enum(['end', 'always']),
  fatal: t.boolean(),
});

export const SCENARIO = t.object({
  $schema: t.string('the JSON Schema this file follows (cma-sim schema); ignored'),
  name: t.string(),
  description: t.string(),
  seed: t.int(0, 2 ** 32 - 1),
  until: t.duration('end of the run (default 10s)'),
  kernel: t.union([t.enum(KERNEL_VERSIONS), t.record(t.any())], "kernel profile (models/kernel): a version such as '6.1', or { version, <profile field>: value } to override single fields"),
  machine: t.req(MACHINE),
  cmdline: t.string('the kernel command line the machine boots with: its cma=, hugetlb_cma=, cma_pernuma= and numa_cma= areas are added after cma.areas'),
  reservedMemory: t.string('device tree source with a /reserved-memory node: its reusable shared-dma-pool nodes are added after cma.areas (before the cmdline areas)'),
  cma: CMA,
  devices: t.array(DEVICE),
  dma: DMA,
  pagecache: PAGECACHE,
  workload: t.array(t.union(Object.values(GENERATOR_SHAPES) as unknown as readonly (typeof GENERATOR_SHAPES)[keyof typeof GENERATOR_SHAPES][])),
  costs: COSTS,
  assertions: t.array(ASSERTION),
}, 'a cma-sim scenario');

/** A scenario as written, in TypeScript: a typo in a field, an enum value or a unit is a compile error. */
export type ScenarioShapeInput = Infer<typeof SCENARIO>;

/** Keep the declaration honest: it is a Shape. */
export const SCENARIO_SHAPE: Shape = SCENARIO;
