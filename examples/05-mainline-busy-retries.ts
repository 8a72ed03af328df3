/**
 * Example 5 -- a mainline configuration on an arm64-like board (768 MiB at 0x40000000, 4 KiB
 * pages, 2 MiB pageblocks): `cma=256M` for the default area and a device-tree reserved-memory
 * node (shared-dma-pool, reusable) for the display controller, both parsed by lib/config. The page
 * cache fills memory, CMA pageblocks included, and short-term pins (O_DIRECT, get_user_pages) hold
 * some of those pages. A camera, a codec and the display then allocate: pinned pages cannot be
 * migrated, alloc_contig_range returns -EBUSY, and cma_alloc retries at the next candidate
 * (reference section 2). The report shows the retries and what they cost.
 */
import type { DeviceBufferInput } from '../events/index.ts';
import { parseMainlineCmdline, parseReservedMemoryDts } from '../lib/config/index.ts';
import { defineScenario } from '../lib/scenario/index.ts';
import type { RequestRecord } from '../models/cma/request.ts';
import { close, MiB, ms, MS, open, quantile, requests, runExample, summarize, table, timeline, type ExampleRun, runIfMain } from './exampleRun.ts';

export const CMDLINE = 'console=ttyAMA0 root=/dev/vda cma=256M';
export const DTS = `reserved-memory {
  #address-cells = <2>;
  #size-cells = <2>;
  ranges;
  display_reserved: framebuffer@68000000 {
    compatible = "shared-dma-pool";
    reusable;
    reg = <0x0 0x68000000 0x0 0x4000000>;
  };
};`;

const DRAM_BASE = 0x4000_0000;
const DRAM_SIZE = 768 * MiB;

const mainline = parseMainlineCmdline(CMDLINE, { memoryEnd: DRAM_BASE + DRAM_SIZE });
const dt = parseReservedMemoryDts(DTS);
export const DISPLAY_AREA = dt[0].name;

const bufs = (n: number, size: number, prefix: string): DeviceBufferInput[] => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, size }));

/** Each device opens, works a while, closes, and opens again: every open allocates anew. */
const cycle = (device: string, buffers: DeviceBufferInput[], starts: number[], holdMs: number) =>
  starts.flatMap((t) => [open(t * MS, device, buffers, { period: 33 * MS, duration: 15 * MS }), close((t + holdMs) * MS, device)]);

export const scenario = defineScenario({
  name: '05-mainline-busy-retries',
  description: 'cma=256M + a device-tree display area; page cache and short-term pins make cma_alloc retry on -EBUSY',
  seed: 5,
  until: '2.8s',
  machine: { banks: [{ name: 'dram', base: DRAM_BASE, size: DRAM_SIZE }] },
  cma: {
    lockMode: 'per-area',
    areas: [
      ...dt.map((a) => ({ name: a.name, size: a.size, ...(a.base !== undefined ? { base: a.base } : {}) })),
      ...mainline.areas.map((a) => ({ name: a.name, size: a.size, default: true, ...(a.limit !== undefined ? { range: [DRAM_BASE, a.limit] as const } : {}) })),
    ],
  },
  devices: [{ name: 'display', area: DISPLAY_AREA }, { name: 'camera' }, { name: 'codec' }],
  workload: [
    { name: 'files', generator: 'pagecache', rate: 2000, files: 5, fileSize: '256M', readahead: [32, 96], dirty: 0.1 },
    { name: 'odirect', generator: 'pins', start: '1s', rate: 1500, files: 5, fileSize: '256M', pages: [1, 4], hold: ['10ms', '80ms'] },
    {
      name: 'drivers', generator: 'replay', events: timeline(
        cycle('display', bufs(3, 8 * MiB, 'fb'), [1200, 2200], 600),
        cycle('camera', bufs(6, 12 * MiB, 'frame'), [1300, 2000], 500),
        cycle('codec', bufs(10, 3 * MiB, 'dpb'), [1400, 2100], 500),
      ),
    },
  ],
});

export interface BusyOutcome {
  readonly requests: number;
  readonly failed: number;
  readonly retries: number;
  readonly busyAttempts: number;
  readonly withRetry: { readonly count: number; readonly p50: number; readonly max: number };
  readonly withoutRetry: { readonly count: number; readonly p50: number; readonly max: number };
}

const lat = (rs: readonly RequestRecord[]) => {
  const s = summarize(rs);
  return { count: rs.length, p50: quantile(s.latencyNs, 0.5), max: quantile(s.latencyNs, 1) };
};

export function busyOutcome(run: ExampleRun): BusyOutcome {
  const rs = requests(run.state, (r) => ['display', 'camera', 'codec'].includes(r.requester));
  return {
    requests: rs.length, failed: rs.filter((r) => r.status === 'failed').length,
    retries: rs.reduce((a, r) => a + r.retries, 0),
    busyAttempts: rs.reduce((a, r) => a + r.attempts.filter((t) => t.result === -16).length, 0),
    withRetry: lat(rs.filter((r) => r.retries > 0)), withoutRetry: lat(rs.filter((r) => r.retries === 0)),
  };
}

export function report(run: ExampleRun): string {
  const o = busyOutcome(run);
  const areas = Object.values(run.state.cma.areas).map((a) => `${a.name} ${a.count * 4096 / MiB} MiB at 0x${(a.basePfn * 4096).toString(16)}`);
  return [
    `areas: ${areas.join(', ')} (from '${CMDLINE}' and the device tree)`,
    `device allocations: ${o.requests}, failed ${o.failed}; -EBUSY attempts ${o.busyAttempts}, busy retries ${o.retries}`,
    table([
      ['requests', 'count', 'latency p50', 'max'],
      ['without a retry', o.withoutRetry.count, ms(o.withoutRetry.p50), ms(o.withoutRetry.max)],
      ['with -EBUSY retries', o.withRetry.count, ms(o.withRetry.p50), ms(o.withRetry.max)],
    ]),
  ].join('\n');
}

export function main(): void {
  console.log(report(runExample(scenario)));
}

runIfMain(import.meta.url, main);
