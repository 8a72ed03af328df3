/**
 * Example 6 -- "one context for all devices, or one per device?", a reviewer's question on the
 * 2011 cma_create() API. The same driver workload (a camera with large frames, a codec with
 * medium buffers, a 2D engine with small ones) runs once with a single 48 MiB context shared by
 * all three and once with three 16 MiB contexts, one per device. A shared context pools the
 * slack (fewer failures when one device bursts) but mixes sizes (more fragmentation); separate
 * contexts isolate devices from each other's fragmentation but strand free memory.
 */
import { defineScenario, type DurationInput, type Scenario, type SizeInput } from '../lib/scenario/index.ts';
import { areaFree, MS, ms, quantile, requests, runExample, summarize, table, runIfMain } from './exampleRun.ts';

export const DEVICES = ['camera', 'codec', 'g2d'] as const;
type Layout = 'shared' | 'per-device';

const load: Readonly<Record<(typeof DEVICES)[number], { rate: number; size: [SizeInput, SizeInput]; hold: [DurationInput, DurationInput] }>> = {
  camera: { rate: 12, size: ['3M', '6M'], hold: ['100ms', '400ms'] },
  codec: { rate: 40, size: ['256K', '1536K'], hold: ['50ms', '500ms'] },
  g2d: { rate: 150, size: ['8K', '192K'], hold: ['20ms', '600ms'] },
};

export function build(layout: Layout): Scenario {
  const areaOf = (d: string): string => (layout === 'shared' ? 'common' : d);
  const areas = layout === 'shared'
    ? [{ name: 'common', size: '48M' as const, private: true, allocator: 'best-fit' }]
    : DEVICES.map((d) => ({ name: d, size: '16M' as const, private: true, allocator: 'best-fit' }));
  return defineScenario({
    name: `06-contexts-${layout}`,
    description: 'The same workload with one shared context or one context per device',
    seed: 6,
    until: '4s',
    machine: { ram: '256M' },
    cma: { lockMode: 'series', areas },
    devices: DEVICES.map((d) => ({ name: d, kinds: { '*': areaOf(d) } })),
    workload: DEVICES.map((d) => ({
      name: `${d}-buffers`, generator: 'poisson', rate: load[d].rate,
      alloc: { device: d, areas: areaOf(d), size: load[d].size, hold: load[d].hold },
    })),
  });
}

export const scenarios: Readonly<Record<Layout, Scenario>> = { shared: build('shared'), 'per-device': build('per-device') };
export const scenario = scenarios.shared;

export interface LayoutOutcome {
  readonly layout: Layout;
  readonly requests: number;
  readonly failedBy: Readonly<Record<string, number>>;
  readonly failed: number;
  /** Mean over 20 ms samples of 1 - largest free chunk / free pages, over all contexts. */
  readonly fragmentation: number;
  readonly p50: number;
  readonly p99: number;
}

export function outcome(layout: Layout): LayoutOutcome {
  const s = scenarios[layout];
  const names = s.cma.areas.map((a) => a.name);
  let fragSum = 0;
  let samples = 0;
  const run = runExample(s, {
    sample: {
      every: 20 * MS,
      fn: (st) => {
        for (const n of names) {
          const f = areaFree(st, n);
          if (f.free > 0) { fragSum += 1 - f.maxChunk / f.free; samples++; }
        }
      },
    },
  });
  const rs = requests(run.state);
  const sum = summarize(rs);
  const failedBy: Record<string, number> = {};
  for (const d of DEVICES) failedBy[d] = rs.filter((r) => r.requester === d && r.status === 'failed').length;
  return {
    layout, requests: sum.count, failedBy, failed: sum.failed, fragmentation: samples === 0 ? 0 : fragSum / samples,
    p50: quantile(sum.latencyNs, 0.5), p99: quantile(sum.latencyNs, 0.99),
  };
}

export function report(rows: readonly LayoutOutcome[]): string {
  return table([
    ['contexts', 'requests', 'failed', ...DEVICES.map((d) => `${d} failed`), 'fragmentation', 'latency p50', 'p99'],
    ...rows.map((r) => [
      r.layout === 'shared' ? 'one shared (48M)' : 'one per device (3 x 16M)', r.requests, r.failed,
      ...DEVICES.map((d) => r.failedBy[d]), r.fragmentation.toFixed(3), ms(r.p50), ms(r.p99),
    ]),
  ]) + '\nfragmentation: mean of 1 - largest free chunk / free pages over 20 ms samples of every context.';
}

export function main(): void {
  console.log(report([outcome('shared'), outcome('per-device')]));
}

runIfMain(import.meta.url, main);
