/**
 * Example 8 -- the GCMA RFC's CMA latency measurement (reference §7), rebuilt from its setup and
 * the model's mechanisms, not fitted to its figures: a CuBox i4 Pro (i.MX6 Quad, 4 x 1 GHz
 * Cortex-A9, ARMv7) booted with 800 MiB of RAM and a 256 MiB CMA area, Linux 3.17, while
 * `make -j16` runs in the background; CMA allocations of 64 to 8192 pages are timed.
 *
 * Every constant, and where it comes from:
 * - 800 MiB RAM, 256 MiB CMA, 4 CPUs, load 16 (`make -j16`): reference §7 (GCMA RFC, 2015).
 * - HZ 100: the timer frequency 32-bit ARM kernels get when the configuration does not choose one
 *   (arch/arm/Kconfig: the "Timer frequency" choice has no default, so its first entry, HZ_100;
 *   imx_v6_v7_defconfig, the i.MX6 configuration, sets none). With it the allocating thread is
 *   scheduled by CFS ticks (models/timing/sched.ts) rather than stretched by the fair share.
 * - DRAM at 0x10000000: the i.MX6 memory map puts the MMDC's DDR window there (i.MX 6Dual/6Quad
 *   reference manual, memory map).
 * - pageblock order 10 (4 MiB) with maxOrder 10: 32-bit ARM's pageblock is MAX_ORDER - 1 with
 *   MAX_ORDER 11 (reference §4).
 * - kernel '3.17' (models/kernel/profiles.ts): a bitmap lock per area and alloc_contig_range under
 *   cma_mutex ('split', reference §1), clean page cache discarded (3.8+), pinned anonymous pages
 *   skipped (3.15+), CMA first in the movable fallback list (before 4.1), and an -EBUSY from the
 *   migration loop ends the attempt without test_pages_isolated; cma_alloc then retries at the
 *   next aligned range and the failed attempt's work is lost (reference §2); direct reclaim sleeps
 *   on a congested block device (wait_iff_congested, models/pagecache/congestion.ts); kswapd is a
 *   thread that must get a CPU, so an allocation below min reclaims itself
 *   (models/pagecache/kswapd.ts); background writeback writes the oldest inodes in rounds that
 *   keep the request queue full (models/pagecache/flusher.ts).
 * - The build has been running for a while (ASSUMPTION): its source tree was read once in the first
 *   1.2 s (one read of each whole file, 1 ms apart), so the page cache fills RAM, CMA included, as
 *   it does on a board whose build has been going for minutes.
 * - The build's page-cache traffic (ASSUMPTIONS, no published figure for this board): 16 compile
 *   jobs each reading about 100 runs of source and headers per second (1,600 reads/s), runs of
 *   1..32 pages (32 = VM_READAHEAD_PAGES, 128 KiB, include/linux/pagemap.h), over 1,200 files of
 *   1 MiB (a source tree larger than RAM, so the page cache churns), a fifth of the reads followed
 *   by a write (object files), which the flusher writes back with the kernel's defaults.
 * - The compilers' heaps (ASSUMPTIONS, no published figure for this board): each of the 16 jobs
 *   is a cc1 whose heap grows to 32 MiB over the 8 s it takes to compile one file (16 jobs on 4
 *   CPUs: a quarter of a 1 GHz Cortex-A9 each, about 2 s of CPU per kernel source file), freed
 *   when it exits. GCC 4.x collects no garbage before its heap reaches ggc-min-heapsize, by default
 *   the smaller of RAM/8 and 128 MiB (GCC manual, --param ggc-min-heapsize): 100 MiB here, more
 *   than one file needs, so the heap only grows until exit. It is faulted in 128 KiB at a time
 *   (32 pages: glibc malloc grows its heap by DEFAULT_TOP_PAD, 128 KiB), each page an order-0
 *   anonymous folio (32-bit ARM without LPAE has no transparent huge pages): 16 x 32 MiB / 8 s =
 *   512 runs a second, each freed when its job exits, uniformly 0..8 s later. So about 256 MiB of
 *   anonymous memory is live, which a CMA allocation must migrate where it lies in the area.
 * - Requests: each size from 64 to 8192 pages (powers of two, reference §7) `REPS` times, one at a
 *   time every 250 ms after 3 s of build, each released 10 ms after it is granted (ASSUMPTION: the
 *   RFC's test module allocated and freed; the hold only keeps the area from staying taken).
 * - Costs: the model's defaults (models/timing/costs.ts, each cited there).
 *
 * Run: `npx tsx examples/08-gcma-cubox.ts` (prints the table of the README's fidelity section);
 * with `--fair-share`, the same run without `hz`: work stretched by the expected share instead of ticks.
 */
import { defineScenario } from '../lib/scenario/index.ts';
import { DECOMPOSITION_PARTS, decompose, type Decomposition } from '../lib/report/decomposition.ts';
import { at, MiB, MS, ms, quantile, requests, runExample, runIfMain, table, timeline, type ExampleRun } from './exampleRun.ts';

export const SIZES = [64, 128, 256, 512, 1024, 2048, 4096, 8192] as const;
export const REPS = 8;
const FILES = 1200;
const FILE_PAGES = 256; // 1 MiB
const WARMUP = 3_000 * MS;
const GAP = 250 * MS;
const HOLD = 10 * MS;
/** The compile jobs' heaps (see the header): 16 jobs, 32 MiB each over 8 s, faulted in 128 KiB runs. */
const JOBS = 16;
const JOB_NS = 8_000 * MS;
const HEAP_RUN = 32;
const HEAP_RUNS_PER_JOB = (32 * MiB) / (HEAP_RUN * 4096);

/** The published figures of reference §7, by size in pages (only what the reference states). */
export const PUBLISHED: Readonly<Record<number, string>> = {
  512: 'mean about 1.2 ms',
  2048: 'tens to hundreds of ms',
  4096: 'tens to hundreds of ms',
  8192: 'tens to hundreds of ms; worst cases of seconds',
};

/** Request k (1-based id) of the measurement: sizes interleaved so each size sees the same build. */
function measurement(reps: number, sizes: readonly number[]) {
  const events = [];
  let id = 1;
  for (let rep = 0; rep < reps; rep++) {
    for (const count of sizes) {
      const t = WARMUP + (id - 1) * GAP;
      events.push(at(t, { type: 'cma.alloc.request', id, requester: 'cma_test', pid: 2000, count, align: 0 }));
      // Released HOLD after it could have finished at the latest (a failed request's release is only a warning).
      events.push(at(t + GAP - HOLD, { type: 'cma.release', chunk: id }));
      id++;
    }
  }
  return events;
}

/** make's first pass: each file of the tree read whole, one every millisecond. */
function treeRead() {
  return Array.from({ length: FILES }, (_, i) => at(i * MS, { type: 'pagecache.fault', file: `file${i}`, index: 0, count: FILE_PAGES }));
}

export function gcmaScenario(reps = REPS, sizes: readonly number[] = SIZES, hz: number | null = 100) {
  return defineScenario({
    name: '08-gcma-cubox',
    description: 'GCMA RFC setup: CuBox i4 Pro, 800 MiB, 256 MiB CMA, make -j16; CMA allocations of 64..8192 pages timed',
    seed: 8,
    until: WARMUP + reps * sizes.length * GAP,
    kernel: '3.17',
    machine: { banks: [{ name: 'dram', base: 0x1000_0000, size: 800 * MiB }], pageblockOrder: 10, maxOrder: 10, cpus: 4, load: 16, ...(hz !== null ? { hz } : {}) },
    cma: { areas: [{ name: 'reserved', size: '256M', default: true }] },
    workload: [
      { name: 'make-j16', generator: 'pagecache', rate: 1600, files: FILES, fileSize: FILE_PAGES * 4096, readahead: [1, 32], dirty: 0.2 },
      { name: 'cc1-heaps', generator: 'memory', kind: 'movable', rate: JOBS * HEAP_RUNS_PER_JOB / (JOB_NS / 1e9), pages: [HEAP_RUN, HEAP_RUN], hold: ['1ms', JOB_NS], owner: 'cc1' },
      { name: 'tree', generator: 'replay', events: treeRead() },
      { name: 'cma_test', generator: 'replay', events: timeline(measurement(reps, sizes)) },
    ],
  });
}

export const scenario = gcmaScenario();

export interface SizeRow {
  readonly pages: number;
  readonly n: number;
  readonly failed: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Mean of each decomposition part over the size's finished requests. */
  readonly parts: Decomposition;
}

export function bySize(run: ExampleRun): SizeRow[] {
  const rs = requests(run.state, (r) => r.requester === 'cma_test');
  return SIZES.map((pages) => {
    const mine = rs.filter((r) => r.count === pages);
    const done = mine.filter((r) => r.finishedAt !== null);
    const lat = done.map((r) => r.finishedAt! - r.submittedAt).sort((a, b) => a - b);
    const parts = Object.fromEntries(DECOMPOSITION_PARTS.map((k) => [k, 0])) as Record<keyof Decomposition, number>;
    for (const r of done) {
      const d = decompose(r);
      for (const k of DECOMPOSITION_PARTS) parts[k] += d[k] / done.length;
    }
    return {
      pages, n: done.length, failed: mine.filter((r) => r.status === 'failed').length,
      mean: lat.reduce((a, b) => a + b, 0) / Math.max(1, lat.length), p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: quantile(lat, 1), parts,
    };
  });
}

export function report(run: ExampleRun): string {
  const rows = bySize(run);
  return [
    table([
      ['pages', 'n', 'failed', 'mean', 'p50', 'p99', 'max', 'max/p50', 'published (reference §7)'],
      ...rows.map((r) => [r.pages, r.n, r.failed, ms(r.mean), ms(r.p50), ms(r.p99), ms(r.max), (r.max / Math.max(1, r.p50)).toFixed(2), PUBLISHED[r.pages] ?? '-']),
    ]),
    '',
    'where the mean went:',
    table([
      ['pages', 'lock wait', 'isolation', 'migration CPU', 'reclaim', 'reclaim throttle', 'writeback wait', 'page lock wait', 'zone/LRU wait', 'run-queue wait', 'finishing', 'retries'],
      ...rows.map((r) => [r.pages, ms(r.parts.lockWait), ms(r.parts.isolation), ms(r.parts.migrationCpu), ms(r.parts.reclaim), ms(r.parts.throttleWait), ms(r.parts.writebackWait),
        ms(r.parts.pageLockWait), ms(r.parts.zoneLruWait), ms(r.parts.runQueueWait), ms(r.parts.finishing), ms(r.parts.retries)]),
    ]),
  ].join('\n');
}

export function main(): void {
  console.log(report(runExample(process.argv.includes('--fair-share') ? gcmaScenario(REPS, SIZES, null) : scenario)));
}

runIfMain(import.meta.url, main);
